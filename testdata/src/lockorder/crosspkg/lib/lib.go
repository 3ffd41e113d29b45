package lib // want package:`edges\(\(\*lib.Server\).mu->lib.RegistryMu, \(\*lib.Other\).mu->\(\*lib.Server\).mu\)`

import "sync"

var RegistryMu sync.Mutex

type Server struct {
	mu    sync.Mutex
	conns int
}

// Register takes Server.mu then RegistryMu.
func (s *Server) Register() {
	s.mu.Lock()
	defer s.mu.Unlock()
	RegistryMu.Lock()
	s.conns++
	RegistryMu.Unlock()
}

func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// Lock is a wrapper; callers must call Unlock.
func (s *Server) Lock()   { s.mu.Lock() }
func (s *Server) Unlock() { s.mu.Unlock() }

// Other is a lock class used in a consistent order only.
type Other struct{ mu sync.Mutex }

func (o *Other) With(s *Server) {
	o.mu.Lock()
	defer o.mu.Unlock()
	s.Count()
}

// Drain returns with s.mu still held when there is nothing to drain: a
// missing Unlock on the early return.
func (s *Server) Drain() {
	s.mu.Lock()
	if s.conns == 0 {
		return
	}
	s.conns = 0
	s.mu.Unlock()
}

// DrainOK unlocks on every path.
func (s *Server) DrainOK() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conns = 0
}
