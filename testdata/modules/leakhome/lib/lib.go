// Package lib has a method that returns with its mutex held on one
// path. Its own package is where that bug is reported (overlock).
package lib

import "sync"

type Store struct {
	mu sync.Mutex
	n  int
}

// Reset returns with s.mu held when there is nothing to reset.
func (s *Store) Reset() {
	s.mu.Lock()
	if s.n == 0 {
		return
	}
	s.n = 0
	s.mu.Unlock()
}

// Len locks s.mu.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}
