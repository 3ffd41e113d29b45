package regress

import (
	"errors"
	"sync"
)

// A lookup that reports a hit with the read lock still held looks like
// a conditional acquire (held exactly when it returns true), but no code
// in the package could ever release the lock afterwards: a bug.
type lkCache struct {
	mu sync.RWMutex
	m  map[string]string
}

func (c *lkCache) lookup(k string) (string, bool) {
	c.mu.RLock()
	if v, ok := c.m[k]; ok {
		return v, true // want `return leaves c.mu locked`
	}
	c.mu.RUnlock()
	return "", false
}

func (c *lkCache) store(k, v string) {
	c.mu.Lock()
	c.m[k] = v
	c.mu.Unlock()
}

// A true conditional acquire: its callers unlock after a success.
type lkPool struct {
	mu   sync.Mutex
	free int
}

func (p *lkPool) tryReserve() bool {
	p.mu.Lock()
	if p.free > 0 {
		return true // the caller unlocks
	}
	p.mu.Unlock()
	return false
}

func (p *lkPool) reserve() bool {
	if !p.tryReserve() {
		return false
	}
	p.free--
	p.mu.Unlock()
	return true
}

// Begin hands the unlock back to its caller on success.
type lkConn struct {
	mu     sync.Mutex
	closed bool
}

func (c *lkConn) begin() (func(), error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, errLkClosed
	}
	return c.mu.Unlock, nil
}

var errLkClosed = errors.New("closed")
