package closures

import "sync"

type Server struct {
	mu    sync.Mutex
	conns int
}

// A helper called from the goroutine.
func (s *Server) incr() { s.conns++ } // want `unsynchronized write to s\.conns: the goroutine running \(\*Server\)\.badServe\.func1 writes s\.conns, which \(\*Server\)\.badServe reads after the go statement \(and 1 more conflict at this access\)`

func (s *Server) badServe() {
	go func() {
		s.incr()
	}()
	_ = s.conns
}

func (s *Server) goodServe() {
	go func() {
		s.mu.Lock()
		s.incr()
		s.mu.Unlock()
	}()
	s.mu.Lock()
	_ = s.conns
	s.mu.Unlock()
}

// A method value started as a goroutine.
func (s *Server) badMethodValue() {
	f := s.incr
	go f()
	s.conns = 0
}

// A closure variable captured by reference.
func badClosureVar() int {
	x := 0
	set := func(v int) { x = v } // want `unsynchronized write to x: the goroutine running badClosureVar\.func1 writes x, which badClosureVar reads after the go statement`
	go set(1)
	return x
}

// A fresh value built inside the goroutine is not shared.
func goodFresh() {
	go func() {
		s := &Server{}
		s.conns++
	}()
	s := &Server{}
	s.conns = 1
}
