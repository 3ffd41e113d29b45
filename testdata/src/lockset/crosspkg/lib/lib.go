package lib

import "sync"

type Store struct {
	mu sync.Mutex
	m  map[string]int
}

var GlobalMu sync.Mutex

func (s *Store) Lock() { // want Lock:`acquires\(0.mu\)`
	s.mu.Lock()
}

func (s *Store) Unlock() { // want Unlock:`releases\(0.mu\)`
	s.mu.Unlock()
}

func (s *Store) Get(k string) int { // want Get:`takes\(0.mu\)$`
	s.Lock()
	defer s.Unlock()
	return s.m[k]
}

func Global() { // want Global:`takes\(lib.GlobalMu\)$`
	GlobalMu.Lock()
	GlobalMu.Unlock()
}
