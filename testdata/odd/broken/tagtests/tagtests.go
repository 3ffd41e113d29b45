// Package tagtests builds, but its tests need a build tag to find their
// helpers: go vet skips the package with its tests, syncvet analyses it
// again without them.
package tagtests

import "sync"

// Counter is guarded by mu.
type Counter struct {
	mu sync.Mutex
	n  int
}

// Wait holds c.mu while it waits for done.
func (c *Counter) Wait(done chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	<-done
	c.n++
}
