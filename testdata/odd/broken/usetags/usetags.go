// Package usetags imports tagtests, whose own code builds: it is
// analysed.
package usetags

import (
	"sync"

	"example.com/broken/tagtests"
)

// Gate is guarded by mu.
type Gate struct {
	mu sync.Mutex
	c  *tagtests.Counter
	n  int
}

// Pass holds g.mu while it waits for open.
func (g *Gate) Pass(open chan struct{}) {
	g.mu.Lock()
	defer g.mu.Unlock()
	<-open
	g.n++
}
