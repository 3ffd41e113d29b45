package publish

import "sync"

// Started makes its channel on first use, under the lock, so that a
// caller may wait before the service starts: still a getter of the
// field, and the close of that field publishes what came before it.
type Svc struct {
	mu      sync.Mutex
	started chan struct{}
	state   bool
}

func (s *Svc) Started() <-chan struct{} { // want Started:`changetter\(0\.started\)` Started:`accesses\(r 0\.started \[\(\*publish\.Svc\)\.mu\]\)`
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started == nil {
		s.started = make(chan struct{})
	}
	return s.started
}

func (s *Svc) markStarted() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started == nil {
		s.started = make(chan struct{})
	}
	close(s.started)
}

func (s *Svc) Start() { // want Start:`accesses\(r 0\.started \[\(\*publish\.Svc\)\.mu\]; w 0\.state; close 0\.started\)`
	go func() {
		s.state = true
		s.markStarted()
	}()
}

func waitThenRead(s *Svc) bool {
	s.Start()
	<-s.Started()
	return s.state
}

// Reading before the wait races with the goroutine's write.
type Svc2 struct {
	mu      sync.Mutex
	started chan struct{}
	state   bool
}

func (s *Svc2) Started() <-chan struct{} { // want Started:`accesses\(r 0\.started \[\(\*publish\.Svc2\)\.mu\]\)` Started:`changetter\(0\.started\)`
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started == nil {
		s.started = make(chan struct{})
	}
	return s.started
}

func (s *Svc2) markStarted() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started == nil {
		s.started = make(chan struct{})
	}
	close(s.started)
}

func (s *Svc2) Start() { // want Start:`accesses\(r 0\.started \[\(\*publish\.Svc2\)\.mu\]; w 0\.state; close 0\.started\)`
	go func() {
		s.state = true // want `unsynchronized write to s.state: the goroutine running \(\*Svc2\).Start.func1 writes s.state, which readThenWait reads after calling \(\*Svc2\).Start`
		s.markStarted()
	}()
}

func readThenWait(s *Svc2) bool {
	s.Start()
	v := s.state
	<-s.Started()
	return v
}
