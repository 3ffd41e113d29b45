// Package sync2 uses store from the other module of the workspace.
package sync2

import "example.com/lib/store"

// Lookup takes store.IndexMu, then s.mu through Get: the other order
// from (*store.Store).Register.
func Lookup(s *store.Store, k string) int {
	store.IndexMu.Lock()
	defer store.IndexMu.Unlock()
	return s.Get(k)
}

// Twice calls Get while holding s.mu through the Lock wrapper.
func Twice(s *store.Store, k string) int {
	s.Lock()
	defer s.Unlock()
	return s.Get(k)
}

// Ordered takes s.mu, then IndexMu, as Register does.
func Ordered(s *store.Store, name string) {
	s.Register(name)
	s.Lock()
	s.Unlock()
}
