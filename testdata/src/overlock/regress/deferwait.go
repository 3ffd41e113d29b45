package regress

import "sync"

// A WaitGroup.Wait deferred after the Unlock runs first, with the lock
// still held, while the goroutines it waits for need the lock to finish.

type trackServer struct {
	mu       sync.Mutex
	sessions map[int]bool
	quit     chan struct{}
	wg       sync.WaitGroup
}

func (s *trackServer) accept(id int) {
	s.mu.Lock()
	s.sessions[id] = true
	s.mu.Unlock()
	s.wg.Add(1)
	go s.serve(id)
}

func (s *trackServer) serve(id int) {
	defer s.wg.Done()
	<-s.quit
	s.mu.Lock()
	delete(s.sessions, id)
	s.mu.Unlock()
}

func (s *trackServer) shutdownBad() {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.wg.Wait() // want `s.mu held across blocking call to s.wg.Wait, a deferred call: it runs as the function returns, with the lock still held`
	close(s.quit)
}

// The Wait deferred first runs last, after the Unlock.
func (s *trackServer) shutdownGood() {
	defer s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	close(s.quit)
}
