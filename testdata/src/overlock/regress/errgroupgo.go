package regress

import (
	"sync"

	"golang.org/x/sync/errgroup"
)

// An errgroup's Go under a lock: with no SetLimit in the package the
// group has no limit, and Go never waits. The Wait is what blocks.
type reloader struct {
	mu   sync.Mutex
	data map[string]int
}

func (r *reloader) store(k string) {
	r.mu.Lock()
	r.data[k]++
	r.mu.Unlock()
}

func (r *reloader) Reload(srcs []string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var g errgroup.Group
	for _, s := range srcs {
		g.Go(func() error { r.store(s); return nil })
	}
	return g.Wait() // want `r\.mu held across blocking call to g\.Wait`
}
