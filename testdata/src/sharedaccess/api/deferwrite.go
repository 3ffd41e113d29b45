package api

import "sync"

// ---- A field written, under the lock, only by a method's own deferred
// function literal: the literal runs on the method's goroutine at its
// end, so the method's unlocked read earlier is ordered with that write
// as with a write of its own (as the getter rule treats one function's
// own read and write). Clean. The twin writes it in another method,
// which may run beside the read.
type Revocable struct {
	mu      sync.Mutex
	revoked bool // want revoked:`guarded\(mu\)`
	ch      chan struct{}
}

func NewRevocable() *Revocable { return &Revocable{ch: make(chan struct{})} }

func (s *Revocable) Revoke() { // want Revoke:`accesses\(r 0\.ch \[\(\*api\.Revocable\)\.mu\]; w 0\.revoked before close\(0\.ch\) \[\(\*api\.Revocable\)\.mu\]; r 0\.revoked \[\(\*api\.Revocable\)\.mu\]; close 0\.ch\)`
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.revoked {
		s.revoked = true
		close(s.ch)
	}
}

func (s *Revocable) Wait(work <-chan struct{}) bool { // want Wait:`accesses\(w 0\.ch \[\(\*api\.Revocable\)\.mu\]; r 0\.ch; w 0\.revoked \[\(\*api\.Revocable\)\.mu\]; recv 1; recv 0\.ch\)`
	defer func() {
		s.mu.Lock()
		s.revoked = false
		s.ch = make(chan struct{})
		s.mu.Unlock()
	}()
	select {
	case <-work:
		return true
	case <-s.ch:
		return false
	}
}

type RevocableReset struct {
	mu      sync.Mutex
	revoked bool // want revoked:`guarded\(mu\)`
	ch      chan struct{}
}

func (s *RevocableReset) Revoke() { // want Revoke:`accesses\(r 0\.ch \[\(\*api\.RevocableReset\)\.mu\]; w 0\.revoked before close\(0\.ch\) \[\(\*api\.RevocableReset\)\.mu\]; r 0\.revoked \[\(\*api\.RevocableReset\)\.mu\]; close 0\.ch\)`
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.revoked {
		s.revoked = true
		close(s.ch)
	}
}

func (s *RevocableReset) Reset() { // want Reset:`accesses\(w 0\.ch \[\(\*api\.RevocableReset\)\.mu\]; w 0\.revoked \[\(\*api\.RevocableReset\)\.mu\]\)`
	s.mu.Lock()
	s.revoked = false
	s.ch = make(chan struct{})
	s.mu.Unlock()
}

func (s *RevocableReset) Wait(work <-chan struct{}) bool { // want Wait:`accesses\(r 0\.ch; recv 1; recv 0\.ch\)`
	select {
	case <-work:
		return true
	case <-s.ch: // want `unsynchronized read of s\.ch: \(\*RevocableReset\)\.Wait reads it without s\.mu, which \(\*RevocableReset\)\.Reset writes holding it`
		return false
	}
}
