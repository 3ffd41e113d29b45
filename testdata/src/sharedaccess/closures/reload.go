package closures

import "sync"

// A goroutine that acts on what it receives from a channel its starter
// was handed: the caller (or whoever else holds the channel) may be
// sending already, so the receive does not order the goroutine after
// the starter's own accesses.

type addrConfig struct {
	mu   sync.RWMutex
	addr string
}

func (c *addrConfig) get() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.addr
}

func (c *addrConfig) assign(a string) { c.addr = a } // want `unsynchronized write to c\.addr: the goroutine running badReloadLoop\.func1 writes c\.addr, which badReloadLoop reads after the go statement`

func (c *addrConfig) set(a string) {
	c.mu.Lock()
	c.addr = a
	c.mu.Unlock()
}

func badReloadLoop(c *addrConfig, updates <-chan string, dial func(string)) {
	go func() {
		for a := range updates {
			c.assign(a)
		}
	}()
	for range 3 {
		dial(c.get())
	}
}

func goodReloadLoop(c *addrConfig, updates <-chan string, dial func(string)) {
	go func() {
		for a := range updates {
			c.set(a)
		}
	}()
	for range 3 {
		dial(c.get())
	}
}

// goodServedLater: a worker fed through a channel its starter made; the
// starter sends nothing, so nothing reaches the worker's write before
// the starter's own set-up is done.
type feeder struct {
	in   chan string
	last string
}

func newFeeder() *feeder {
	f := &feeder{in: make(chan string)}
	go func() {
		for s := range f.in {
			f.last = s
		}
	}()
	f.last = "none"
	return f
}

func (f *feeder) Feed(s string) { f.in <- s } // want Feed:`accesses\(r 0.in; send 0.in\)`
