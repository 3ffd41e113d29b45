package regress

import "sync"

// A server fills in its handler table under the lock when nil, before
// it starts the goroutines that read it: the lock serialises
// initialisers only.
type sshServer struct {
	mu       sync.Mutex
	handlers map[string]func()
	conns    chan int
}

func (s *sshServer) ensureHandlers() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.handlers == nil {
		s.handlers = map[string]func(){}
		s.handlers["exec"] = func() {}
	}
}

func (s *sshServer) serve() {
	s.ensureHandlers()
	for c := range s.conns {
		go s.handle(c)
	}
}

func (s *sshServer) handle(c int) {
	if h := s.handlers["exec"]; h != nil && c > 0 {
		h()
	}
}

// The same table also replaced under the lock: mutable state, guarded.
type reloadServer struct {
	mu       sync.Mutex
	handlers map[string]func() // want handlers:"guarded\\(mu\\)"
	conns    chan int
}

func (s *reloadServer) ensureHandlers() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.handlers == nil {
		s.handlers = map[string]func(){}
	}
}

func (s *reloadServer) reload(h map[string]func()) {
	s.mu.Lock()
	s.handlers = h
	s.mu.Unlock()
}

func (s *reloadServer) serve() {
	s.ensureHandlers()
	for c := range s.conns {
		go s.handle(c)
	}
}

func (s *reloadServer) handle(c int) {
	if h := s.handlers["exec"]; h != nil && c > 0 { // want `unsynchronized read of s.handlers: \(\*reloadServer\).handle reads it without s.mu, which \(\*reloadServer\).reload writes holding it`
		h()
	}
}
