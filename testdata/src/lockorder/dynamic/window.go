package dynamic

import "sync"

// A closure handed to a runner drops the caller's lock before it takes
// another and takes it back after: the commit lock is not taken under
// the store lock.
type store struct {
	mu     sync.Mutex
	commit sync.Mutex
	n      int
}

func (s *store) runFn(f func()) { f() }

func (s *store) withCommit(prepare func()) {
	s.commit.Lock()
	defer s.commit.Unlock()
	prepare()
}

// Ingest: commit, then mu.
func (s *store) Ingest() {
	s.withCommit(func() {
		s.mu.Lock()
		s.n++
		s.mu.Unlock()
	})
}

// Compact holds mu, and its closure gives it up around commit.
func (s *store) Compact() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runFn(func() {
		s.mu.Unlock()
		s.commit.Lock()
		s.n = 0
		s.commit.Unlock()
		s.mu.Lock()
	})
}

// A closure that takes the commit lock while the caller's lock is still
// held: the inverse of Ingest's order.
type store2 struct {
	mu     sync.Mutex
	commit sync.Mutex
	n      int
}

func (s *store2) runFn(f func()) { f() }

func (s *store2) withCommit(prepare func()) {
	s.commit.Lock()
	defer s.commit.Unlock()
	prepare() // want `lock order inversion: store2.mu acquired while holding store2.commit`
}

func (s *store2) Ingest() {
	s.withCommit(func() {
		s.mu.Lock()
		s.n++
		s.mu.Unlock()
	})
}

func (s *store2) Compact() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runFn(func() {
		s.commit.Lock()
		s.n = 0
		s.commit.Unlock()
	})
}
