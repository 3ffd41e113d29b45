// Package store is a module of the workspace whose locks another module
// takes in the other order.
package store

import "sync"

// IndexMu guards the package-level index.
var IndexMu sync.Mutex

var index = map[string]*Store{}

// Store is a value store guarded by mu.
type Store struct {
	mu   sync.Mutex
	vals map[string]int
}

// Register takes s.mu, then IndexMu.
func (s *Store) Register(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	IndexMu.Lock()
	index[name] = s
	IndexMu.Unlock()
}

// Get reads one value under s.mu.
func (s *Store) Get(k string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.vals[k]
}

// Lock and Unlock let callers hold s.mu across several calls.
func (s *Store) Lock()   { s.mu.Lock() }
func (s *Store) Unlock() { s.mu.Unlock() }
