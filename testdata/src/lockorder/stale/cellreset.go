package stale

import "sync"

// A named result that a deferred closure reads lives in a cell. The
// stale entry is unlocked and dropped, and a new one locked in its
// place: another object, not a second lock of the first. Clean.

type cacheEntry struct {
	mu    sync.Mutex
	gen   int
	valid bool
}

type entryCache struct {
	mu sync.Mutex
	m  map[string]*cacheEntry
}

func (c *entryCache) get(k string) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[k]
}

func (c *entryCache) acquire(k string, gen int) (e *cacheEntry) {
	defer func() {
		if e != nil && e.gen == 0 {
			e.gen = 1
		}
	}()
	e = c.get(k)
	if e != nil {
		e.mu.Lock()
		if e.gen+1 != gen || !e.valid {
			e.mu.Unlock()
			e = nil
		}
	}
	if e == nil {
		e = &cacheEntry{gen: gen, valid: true}
		e.mu.Lock()
	}
	return e
}

// Without the reassignment the second Lock may find the first still
// held.
func (c *entryCache) acquireTwice(k string) (e *cacheEntry) {
	defer func() {
		if e != nil {
			e.gen++
		}
	}()
	e = c.get(k)
	e.mu.Lock()
	if !e.valid {
		e.mu.Unlock()
	}
	e.mu.Lock() // want `double lock: e.mu locked while it may still be held`
	return e
}
