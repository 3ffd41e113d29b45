package closures

import "sync"

type S struct {
	mu sync.Mutex
	n  int
}

// A closure that unlocks its captured lock is a release wrapper for the
// enclosing function; a deferred one releases at return.
func (s *S) Deferred() { // want Deferred:`takes\(0.mu\)$`
	s.mu.Lock()
	defer func() { s.mu.Unlock() }()
	s.n++
}

// A closure called in place acquires for its caller.
func (s *S) Called() { // want Called:`acquires\(0.mu\)`
	lock := func() { s.mu.Lock() }
	lock()
}

// A lock taken inside a goroutine is not held by the spawner.
func (s *S) Spawn() {
	go func() {
		s.mu.Lock()
		s.n++
		s.mu.Unlock()
	}()
}

// A closure parameter.
func Apply(mu *sync.Mutex, f func(*sync.Mutex)) {
	f(mu)
}
