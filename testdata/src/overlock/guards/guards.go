package guards

import "sync"

type S struct {
	mu sync.Mutex
	n  int
	ch chan int
}

func (s *S) Local(a, b int) int {
	s.mu.Lock() // want `critical section guards nothing: s.mu is held only around work on local values`
	x := a*b + 1
	s.mu.Unlock()
	return x
}

func (s *S) Shared(a int) int { // ok: the section reads s.n
	s.mu.Lock()
	x := s.n + a
	s.mu.Unlock()
	return x
}

func (s *S) Empty() {
	s.mu.Lock() // want `empty critical section: s.mu is unlocked right after it is locked`
	s.mu.Unlock()
}

func (s *S) EmptyRead(rw *sync.RWMutex) {
	rw.RLock() // want `empty critical section: rw is unlocked right after it is locked`
	rw.RUnlock()
}

// A barrier whose Unlock silences staticcheck's SA2001, the same
// finding (fasthttp's websocket Conn.shutdown, otel's
// Lifecycle.waitForCollection).
func (s *S) WaitForHolder() {
	s.mu.Lock()
	s.mu.Unlock() //nolint:gocritic,staticcheck // waits for a concurrent close to finish
}

func (s *S) WaitForHolderIgnored() {
	s.mu.Lock()
	s.mu.Unlock() //lint:ignore SA2001 waits for a concurrent close to finish
}

// A comment at the end of the Unlock line that silences another linter
// says nothing about the empty section.
func (s *S) EmptyOtherLinter() {
	s.mu.Lock()   // want `empty critical section: s.mu is unlocked right after it is locked`
	s.mu.Unlock() //nolint:gocritic
}

func (s *S) NotEmpty() { // ok: the section writes s.n
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
}

func (s *S) Calls(f func()) { // ok: a call may touch anything
	s.mu.Lock()
	f()
	s.mu.Unlock()
}

func (s *S) Loop(items []int) {
	for _, it := range items {
		s.mu.Lock()
		defer s.mu.Unlock() // want `deferred unlock of s.mu inside a loop: the lock stays held until the function returns`
		s.n += it
	}
}

func (s *S) LoopScoped(items []int) { // ok: the deferred unlock runs at the end of each closure call
	for _, it := range items {
		func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.n += it
		}()
	}
}

func (s *S) LoopReturns(items []int) int { // ok: the loop returns right after deferring
	for _, it := range items {
		if it > 0 {
			s.mu.Lock()
			defer s.mu.Unlock()
			return s.n + it
		}
	}
	return 0
}

type node struct {
	mu     sync.Mutex
	parent *node
	done   bool
}

func (n *node) lockAncestors() *node { // ok: a different mutex each iteration, all held on purpose
	for p := n.parent; p != nil; p = p.parent {
		p.mu.Lock()
		defer p.mu.Unlock()
		if !p.done {
			return p
		}
	}
	return nil
}

func lockAll(shards []*S) { // ok: one mutex per shard
	for _, sh := range shards {
		sh.mu.Lock()
		defer sh.mu.Unlock()
		sh.n++
	}
}

func (s *S) Barrier() { // ok: a comment says the empty section is a barrier
	// Wait for the holder to finish its update before reading the file.
	s.mu.Lock()
	s.mu.Unlock()
}

func (s *S) LetReadersIn(rw *sync.RWMutex) { // ok: explained inside the section
	rw.RLock()
	// no-op: lets queued readers through before we retry
	rw.RUnlock()
}
