package regress

import "sync"

// A field written only while a closed flag is false, under the lock that
// Shutdown holds when it sets the flag for good: every write ended
// before Shutdown's critical section, so its read after it is ordered.
type flagServer struct {
	mu       sync.Mutex
	closed   bool
	handling chan struct{}
	conns    int // want conns:"guarded\\(mu\\)"
}

func (s *flagServer) init() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.handling = make(chan struct{}, 1)
}

func (s *flagServer) serve() {
	s.init()
	s.mu.Lock()
	s.conns++
	s.mu.Unlock()
}

func (s *flagServer) shutdown() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	if s.handling != nil { // ok: written only before closed was set
		<-s.handling
	}
}

func runFlagServer() {
	s := &flagServer{}
	go s.serve()
	go s.shutdown()
}

// The same server reopened: the flag goes back to false, so a write can
// follow the shutdown's read.
type reopenServer struct {
	mu       sync.Mutex
	closed   bool // want closed:"guarded\\(mu\\)"
	handling chan struct{}
	conns    int // want conns:"guarded\\(mu\\)"
}

func (s *reopenServer) init() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.handling = make(chan struct{}, 1) // want `unsynchronized write to s.handling`
}

func (s *reopenServer) serve() {
	s.init()
	s.mu.Lock()
	s.conns++
	s.mu.Unlock()
}

func (s *reopenServer) shutdown() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	if s.handling != nil {
		<-s.handling
	}
}

func (s *reopenServer) reopen() {
	s.mu.Lock()
	s.closed = false
	s.mu.Unlock()
}

func runReopenServer() {
	s := &reopenServer{}
	go s.serve()
	go s.shutdown()
	go s.reopen()
}
