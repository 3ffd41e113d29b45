package basic

import "sync"

type S struct {
	mu    sync.Mutex
	rw    sync.RWMutex
	n     int
	inner *Inner
}

type Inner struct {
	mu sync.Mutex
}

var registryMu sync.Mutex

// Lock wrappers.

func (s *S) lock() { // want lock:`acquires\(0.mu\)`
	s.mu.Lock()
}

func (s *S) unlock() { // want unlock:`releases\(0.mu\)`
	s.mu.Unlock()
}

func (s *S) rlock() { // want rlock:`acquires\(0.rw\(r\)\)`
	s.rw.RLock()
}

func lockRegistry() { // want lockRegistry:`acquires\(basic.registryMu\)`
	registryMu.Lock()
}

func lockBoth(a, b *S) { // want lockBoth:`acquires\(0.mu, 1.mu\) edges\(0.mu->1.mu\)`
	a.mu.Lock()
	b.mu.Lock()
}

// Wrapper through wrapper.
func (s *S) lock2() { // want lock2:`acquires\(0.mu\)`
	s.lock()
}

// Take and release with defer: nothing held on return.
func (s *S) Inc() { // want Inc:`takes\(0.mu\)$`
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
}

// Take through wrappers.
func (s *S) Inc2() { // want Inc2:`takes\(0.mu\)$`
	s.lock()
	s.n++
	s.unlock()
}

// Deferred closure unlock.
func (s *S) Inc3() { // want Inc3:`takes\(0.mu\)$`
	s.mu.Lock()
	defer func() {
		s.mu.Unlock()
	}()
	s.n++
}

// Locks through a pointer field.
func (s *S) InnerInc() { // want InnerInc:`takes\(0.inner.mu\)$`
	s.inner.mu.Lock()
	s.n++
	s.inner.mu.Unlock()
}

// Edge through a callee: registryMu taken while s.mu is held.
func (s *S) Register() { // want Register:`takes\(0.mu, basic.registryMu\) edges\(0.mu->basic.registryMu\)`
	s.mu.Lock()
	defer s.mu.Unlock()
	touchRegistry()
}

func touchRegistry() { // want touchRegistry:`takes\(basic.registryMu\)$`
	registryMu.Lock()
	registryMu.Unlock()
}

// TryLock: held only on the success branch.
func (s *S) TryInc() bool {
	if !s.mu.TryLock() {
		return false
	}
	s.n++
	s.mu.Unlock()
	return true
}

func (s *S) TryHold() bool {
	ok := s.mu.TryLock()
	if ok {
		return true // returns holding on one path only: no acquires
	}
	return false
}

// Unlock on all return paths.
func (s *S) Early(x int) int { // want Early:`takes\(0.mu\)$`
	s.mu.Lock()
	if x > 0 {
		s.mu.Unlock()
		return x
	}
	s.n = x
	s.mu.Unlock()
	return 0
}

// Conditional lock: not held on every return.
func (s *S) Maybe(x bool) { // want Maybe:`takes\(0.mu\?\)$`
	if x {
		s.mu.Lock()
	}
}

// RWMutex read and write.
func (s *S) Read() int { // want Read:`takes\(0.rw\(r\)\)$`
	s.rw.RLock()
	defer s.rw.RUnlock()
	return s.n
}

func (s *S) Write() { // want Write:`takes\(0.rw\)$`
	s.rw.Lock()
	s.n++
	s.rw.Unlock()
}

// Unlock-then-relock helper: net nothing, but the lock is retaken.
func (s *S) relock() { // want relock:`^reacquires\(0.mu\)$`
	s.mu.Unlock()
	s.mu.Lock()
}

// A local mutex that nothing else can reach while it is held is no
// caller's concern: no take.
func local() {
	var mu sync.Mutex
	mu.Lock()
	mu.Unlock()
}

func noLocks(x int) int { return x + 1 }

// Regression (testing.B.Run, crypto/tls initLegacySessionTicketKeyRLocked):
// a function that releases the caller's lock and takes it back, on some
// paths or in a loop, does not take it afresh.
func (s *S) run() { // want run:`^reacquires\(0.mu\)$`
	s.mu.Unlock()
	defer s.mu.Lock()
	s.n++
}

func (s *S) runAll(xs []int) {
	for range xs {
		s.run()
	}
}

func (s *S) upgradeRLocked(x bool) { // want upgradeRLocked:`^reacquires\(0.rw\(r\)\)$`
	if x {
		return
	}
	s.rw.RUnlock()
	defer s.rw.RLock()
	s.rw.Lock()
	defer s.rw.Unlock()
	s.n++
}

// A function literal kept in a variable that another closure captures
// (so the variable lives in a cell) releases the caller's lock: the
// return after calling it leaves nothing held.
func (s *S) failLater(ok bool, later func(func())) { // want failLater:`^takes\(0.mu\)$`
	s.mu.Lock()
	fail := func() {
		s.n = 0
		s.mu.Unlock()
	}
	if !ok {
		later(func() {
			s.mu.Lock()
			fail()
		})
		s.mu.Unlock()
		return
	}
	fail()
}
