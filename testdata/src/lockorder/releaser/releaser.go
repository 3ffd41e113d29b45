// Package releaser calls function values that unlock: a closure that a
// helper returns over the mutex it is given, whose body only unlocks
// it (miekg/dns's unlockOnce). Calling it releases the mutex.
package releaser

import "sync"

func unlockOnce(l sync.Locker) func() {
	var once sync.Once
	return func() { once.Do(l.Unlock) }
}

type Server struct {
	lock    sync.RWMutex
	started bool
	conns   map[int]bool
}

func (srv *Server) isStarted() bool {
	srv.lock.RLock()
	defer srv.lock.RUnlock()
	return srv.started
}

func (srv *Server) serve() {
	for srv.isStarted() {
		srv.lock.Lock()
		srv.conns[1] = true
		srv.lock.Unlock()
	}
}

// ListenAndServe unlocks through the closure before serving, and again
// (a no-op) on the way out.
func (srv *Server) ListenAndServe() {
	unlock := unlockOnce(&srv.lock)
	srv.lock.Lock()
	defer unlock()
	if srv.started {
		return
	}
	srv.started = true
	unlock()
	srv.serve()
}

// withLock's closure locks and unlocks: calling it releases nothing.
func withLock(l sync.Locker) func() {
	return func() {
		l.Lock()
		l.Unlock()
	}
}

type Pool struct {
	mu sync.Mutex
	n  int
}

func (p *Pool) bump() {
	p.mu.Lock()
	p.n++
	p.mu.Unlock()
}

func (p *Pool) BadServe() {
	touch := withLock(&p.mu)
	p.mu.Lock()
	defer p.mu.Unlock()
	touch()
	p.bump() // want `double lock: \(\*releaser.Pool\).bump locks p.mu while it is already held`
}

// unlock := sync.OnceFunc(mu.Unlock) releases mu when called.
type OnceServer struct {
	mu sync.Mutex
	n  int
}

func (s *OnceServer) bump() {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
}

func (s *OnceServer) run() {
	s.mu.Lock()
	unlock := sync.OnceFunc(s.mu.Unlock)
	defer unlock()
	s.n = 0
	unlock()
	s.bump()
}
