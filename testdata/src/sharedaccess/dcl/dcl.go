// Package dcl: double-checked locking, a lazy initialisation tested
// first without its lock, beside the designs that are safe: sync.Once,
// an atomic first test, the whole test under the lock, a first test
// under the read lock.
package dcl

import (
	"sync"
	"sync/atomic"
)

type config struct{ n int }

func load() *config { return &config{n: 1} }

var (
	mu       sync.Mutex
	instance *config
)

// badInstance tests instance without mu first.
func badInstance() *config {
	if instance == nil { // want `double-checked locking: badInstance reads instance without mu before it locks mu to set it`
		mu.Lock()
		if instance == nil {
			instance = load()
		}
		mu.Unlock()
	}
	return instance
}

type client struct {
	mu   sync.Mutex
	conn *config // want conn:"guarded\\(mu\\)"
	done bool    // want done:"guarded\\(mu\\)"
	data []int
}

// conn returns early when the field is set, else locks and sets it.
func (c *client) get() *config {
	if c.conn != nil { // want `double-checked locking: \(\*client\).get reads c.conn without c.mu before it locks c.mu to set it`
		return c.conn
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil {
		return c.conn
	}
	c.conn = load()
	return c.conn
}

// prepare uses a done flag, the memory model's own example.
func (c *client) prepare() []int {
	if !c.done { // want `double-checked locking: \(\*client\).prepare reads c.done without c.mu before it locks c.mu to set it`
		c.mu.Lock()
		if !c.done {
			c.data = []int{1, 2}
			c.done = true
		}
		c.mu.Unlock()
	}
	return c.data
}

var (
	once     sync.Once
	onceInst *config
)

// goodOnce initialises through sync.Once.
func goodOnce() *config {
	once.Do(func() { onceInst = load() })
	return onceInst
}

var (
	amu   sync.Mutex
	aInst atomic.Pointer[config]
)

// goodAtomic tests with an atomic load first.
func goodAtomic() *config {
	if p := aInst.Load(); p != nil {
		return p
	}
	amu.Lock()
	defer amu.Unlock()
	if p := aInst.Load(); p != nil {
		return p
	}
	p := load()
	aInst.Store(p)
	return p
}

var (
	lmu   sync.Mutex
	lInst *config
)

// goodLocked tests and sets under the lock.
func goodLocked() *config {
	lmu.Lock()
	defer lmu.Unlock()
	if lInst == nil {
		lInst = load()
	}
	return lInst
}

var (
	rw    sync.RWMutex
	rInst *config
)

// goodReadLocked tests first under the read lock.
func goodReadLocked() *config {
	rw.RLock()
	p := rInst
	rw.RUnlock()
	if p != nil {
		return p
	}
	rw.Lock()
	defer rw.Unlock()
	if rInst == nil {
		rInst = load()
	}
	return rInst
}
