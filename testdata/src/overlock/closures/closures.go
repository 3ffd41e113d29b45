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
