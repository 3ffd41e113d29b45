// Package jobs uses the vendored pool.
package jobs

import "example.com/pool"

// Reserve holds p's lock and calls Take, which locks it again.
func Reserve(p *pool.Pool) bool {
	p.Lock()
	defer p.Unlock()
	return p.Take()
}

// ReserveOK calls Take alone.
func ReserveOK(p *pool.Pool) bool {
	return p.Take()
}

// Drain holds p's lock across a blocking call of the dependency.
func Drain(p *pool.Pool, done chan struct{}) {
	p.Lock()
	defer p.Unlock()
	<-done
}
