// A race kernel in a main package: unexported names are entry points.
package main

import (
	"fmt"
	"sync"
)

type counter struct {
	mu sync.Mutex
	n  int // want n:"guarded\\(mu\\)"
}

func (c *counter) inc() {
	c.mu.Lock()
	c.n++ // the other side of get's unguarded read: one finding, at the read to mend
	c.mu.Unlock()
}

func (c *counter) get() int {
	return c.n // want `unsynchronized read of c.n: \(\*counter\).get reads it without c.mu, which \(\*counter\).inc writes holding it`
}

func (c *counter) getLocked2() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func main() {
	c := &counter{}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.inc()
			fmt.Println(c.get())
		}()
	}
	wg.Wait()
}
