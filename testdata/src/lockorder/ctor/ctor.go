// Package ctor has locks reached through a field that a constructor
// fills from its argument: the wrapper's field is the caller's object.
package ctor

import "sync"

// fetcher is unexported: *Cluster, its only implementation, is the
// callee of calls through it.
type fetcher interface {
	Fetch() int
}

type Cluster struct {
	mu    sync.RWMutex
	nodes []int
}

func (c *Cluster) Fetch() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.nodes)
}

type Leader interface {
	Find() int
}

type finder struct {
	src fetcher
}

func (f *finder) Find() int { return f.src.Fetch() }

func newFinder(src fetcher) Leader {
	return &finder{src: src}
}

// BAD: the finder wraps c itself, so Find read-locks c.mu under the
// write lock.
func (c *Cluster) Refresh() {
	c.mu.Lock()
	defer c.mu.Unlock()
	newFinder(c).Find() // want `double lock: \(\*ctor.finder\).Find read-locks c.mu while it is already held`
	c.nodes = nil
}

// GOOD: the finder wraps another cluster.
func (c *Cluster) RefreshFrom(other *Cluster) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nodes = make([]int, newFinder(other).Find())
}
