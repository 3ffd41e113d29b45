package basic

import "sync"

type Cache struct {
	mu sync.Mutex
	rw sync.RWMutex
	m  map[string]int
}

// Double lock, direct.
func (c *Cache) Twice() {
	c.mu.Lock()
	c.mu.Lock() // want `double lock: c.mu locked while already held`
	c.mu.Unlock()
	c.mu.Unlock()
}

// Double lock through a callee.
func (c *Cache) Get(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.load(k) // want `double lock: \(\*basic.Cache\).load locks c.mu while it is already held`
}

func (c *Cache) load(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[k]
}

// Clean twin: the helper expects the lock held.
func (c *Cache) GetOK(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.loadLocked(k)
}

func (c *Cache) loadLocked(k string) int { return c.m[k] }

// Through a lock wrapper.
func (c *Cache) lock() { c.mu.Lock() }

func (c *Cache) Wrapped() {
	c.lock()
	defer c.mu.Unlock()
	c.lock() // want `double lock: \(\*basic.Cache\).lock locks c.mu while it is already held`
}

// Released between: clean.
func (c *Cache) Relock() {
	c.mu.Lock()
	c.mu.Unlock()
	c.mu.Lock()
	c.mu.Unlock()
}

// Locked on one path only: not provably held, not reported.
func (c *Cache) Maybe(b bool) {
	if b {
		c.mu.Lock()
	}
	c.mu.Lock()
	c.mu.Unlock()
}

// A callee that unlocks and relocks around a wait: clean.
func (c *Cache) waitLocked() {
	c.mu.Unlock()
	c.mu.Lock()
}

func (c *Cache) Wait() {
	c.mu.Lock()
	c.waitLocked()
	c.mu.Unlock()
}

// Two different caches: different objects, not a double lock; but the
// order follows the arguments, and Two(y, x) beside Two(x, y) deadlocks.
func Two(a, b *Cache) {
	a.mu.Lock()
	b.mu.Lock() // want `lock order follows the arguments: Two locks a.mu before b.mu, two Cache.mu; a concurrent call with a and b swapped takes them the other way round`
	b.mu.Unlock()
	a.mu.Unlock()
}

// RLock recursion.
func (c *Cache) Len() int {
	c.rw.RLock()
	defer c.rw.RUnlock()
	return c.size() // want `recursive read lock: \(\*basic.Cache\).size read-locks c.rw while it is read-locked`
}

func (c *Cache) size() int {
	c.rw.RLock()
	defer c.rw.RUnlock()
	return len(c.m)
}

// Two calls under one RLock: one recursion, one finding.
func (c *Cache) LenTwice() int {
	c.rw.RLock()
	defer c.rw.RUnlock()
	return c.size() + c.size() // want `recursive read lock: \(\*basic.Cache\).size read-locks c.rw while it is read-locked; a writer queued in between deadlocks both \(and 1 more time in the same critical section\)`
}

// Two critical sections, each with its own call: two findings.
func (c *Cache) LenTwoSections() int {
	c.rw.RLock()
	n := c.size() // want `recursive read lock: \(\*basic.Cache\).size read-locks c.rw while it is read-locked; a writer queued in between deadlocks both$`
	c.rw.RUnlock()
	c.rw.RLock()
	n += c.size() // want `recursive read lock: \(\*basic.Cache\).size read-locks c.rw while it is read-locked; a writer queued in between deadlocks both$`
	c.rw.RUnlock()
	return n
}

func (c *Cache) ReadTwice() {
	c.rw.RLock()
	c.rw.RLock() // want `recursive read lock: c.rw read-locked while already read-locked`
	c.rw.RUnlock()
	c.rw.RUnlock()
}

// Clean twin: the helper takes no lock.
func (c *Cache) LenOK() int {
	c.rw.RLock()
	defer c.rw.RUnlock()
	return c.sizeLocked()
}

func (c *Cache) sizeLocked() int { return len(c.m) }

// Upgrade.
func (c *Cache) Upgrade(k string) {
	c.rw.RLock()
	if _, ok := c.m[k]; !ok {
		c.rw.Lock() // want `lock upgrade deadlock: c.rw locked for writing while read-locked`
		c.m[k] = 1
		c.rw.Unlock()
	}
	c.rw.RUnlock()
}

// Clean twin: release the read lock first and check again.
func (c *Cache) UpgradeOK(k string) {
	c.rw.RLock()
	_, ok := c.m[k]
	c.rw.RUnlock()
	if !ok {
		c.rw.Lock()
		if _, ok := c.m[k]; !ok {
			c.m[k] = 1
		}
		c.rw.Unlock()
	}
}

// RLock while Lock is held.
func (c *Cache) ReadUnderWrite() int {
	c.rw.Lock()
	defer c.rw.Unlock()
	return c.size() // want `double lock: \(\*basic.Cache\).size read-locks c.rw while it is already held`
}
