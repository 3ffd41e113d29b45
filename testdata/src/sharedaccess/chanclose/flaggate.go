package chanclose

import "sync"

// One critical section tests the closing flag and sets it: the first
// caller through closes, every other sees the flag set.

type gateConn struct {
	mu      sync.Mutex
	closing bool // want closing:"guarded\\(mu\\)"
	done    chan struct{}
}

func (c *gateConn) close() {
	c.mu.Lock()
	already := c.closing
	c.closing = true
	c.mu.Unlock()
	if already {
		<-c.done
		return
	}
	close(c.done)
}

func goodCopiedFlag() {
	c := &gateConn{done: make(chan struct{})}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); c.close() }()
	}
	wg.Wait()
}

type gateConn2 struct {
	mu     sync.Mutex
	closed bool // want closed:"guarded\\(mu\\)"
	done   chan struct{}
}

func (c *gateConn2) close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	c.mu.Unlock()
	close(c.done)
}

func goodTestAndSet() {
	c := &gateConn2{done: make(chan struct{})}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); c.close() }()
	}
	wg.Wait()
}

// The test and the set in two critical sections: two callers may both
// see the flag clear before either sets it.

type splitConn struct {
	mu     sync.Mutex
	closed bool // want closed:"guarded\\(mu\\)"
	done   chan struct{}
}

func (c *splitConn) close() {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return
	}
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	close(c.done) // want `unsynchronized close of c.done: goroutines running badSplitSections.func1 may run at once and each closes c.done; the second close panics`
}

func badSplitSections() {
	c := &splitConn{done: make(chan struct{})}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); c.close() }()
	}
	wg.Wait()
}
