// Package tiny is the benchmark's own test target: a counter guarded by
// a mutex and bumped from goroutines.
package tiny

import "sync"

// Counter counts under its mutex.
type Counter struct {
	mu sync.Mutex
	n  int
}

// Add bumps the counter k times from k goroutines.
func (c *Counter) Add(k int) int {
	var wg sync.WaitGroup
	for range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.mu.Lock()
			c.n++
			c.mu.Unlock()
		}()
	}
	wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
