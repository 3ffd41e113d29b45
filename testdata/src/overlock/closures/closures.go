package closures

import "sync"

type S struct {
	mu sync.Mutex
	ch chan int
	n  int
}

func (s *S) Bad() {
	s.mu.Lock()
	defer s.mu.Unlock()
	wait := func() { <-s.ch }
	wait() // want `s.mu held across blocking receive from s.ch \(via \(\*S\).Bad.func1\)`
}

func (s *S) BadInside() {
	func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.ch <- 1 // want `s.mu held across blocking send on s.ch`
	}()
}

func (s *S) Good() { // ok: the closure runs on another goroutine
	s.mu.Lock()
	defer s.mu.Unlock()
	go func() { <-s.ch }()
}

func (s *S) GoodScoped() { // ok: the closure releases the lock before the receive
	func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.n++
	}()
	<-s.ch
}

// A round: every member waits for the next round in release, a
// function value kept in a field; the leader's release closes it.
type round struct {
	mu      sync.Mutex
	release func()
	n       int
}

func newRound(next chan struct{}, leader bool) *round {
	r := &round{}
	if leader {
		r.release = func() { close(next) }
	} else {
		r.release = func() { <-next }
	}
	return r
}

func (r *round) BadFinish() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	r.release() // want `r.mu held across blocking receive from next \(via newRound.func2\)`
}

// A callback kept in a field that never blocks.
type counter struct {
	mu     sync.Mutex
	notify func(int)
	n      int
}

func newCounter(log []int) *counter {
	c := &counter{}
	c.notify = func(n int) { log[0] = n }
	return c
}

func (c *counter) GoodAdd() { // ok: the callback only stores
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	c.notify(c.n)
}

// A callback handed in by the caller: the closure passed here blocks.
func (c *counter) each(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f() // want `c.mu held across blocking receive from ch \(via \(\*counter\).BadEach.func1\)`
}

func (c *counter) BadEach(ch chan int) {
	c.each(func() { <-ch })
}
