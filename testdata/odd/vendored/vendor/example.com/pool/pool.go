// Package pool is a vendored dependency. Its own bug (Leak) is not the
// vendoring module's to fix, and must not be reported.
package pool

import "sync"

// Pool hands out workers under mu.
type Pool struct {
	mu   sync.Mutex
	idle int
	wake chan struct{}
}

// New returns a pool with n idle workers.
func New(n int) *Pool { return &Pool{idle: n, wake: make(chan struct{}, 1)} }

// Take takes a worker under p.mu.
func (p *Pool) Take() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.idle == 0 {
		return false
	}
	p.idle--
	return true
}

// Wait blocks on p.wake holding p.mu: a bug in the dependency.
func (p *Pool) Wait() {
	p.mu.Lock()
	defer p.mu.Unlock()
	<-p.wake
}

// Lock and Unlock let callers hold p.mu.
func (p *Pool) Lock()   { p.mu.Lock() }
func (p *Pool) Unlock() { p.mu.Unlock() }
