package unreleased

import (
	"errors"
	"sync"
)

var errMissing = errors.New("missing")

type Cache struct {
	mu sync.Mutex
	rw sync.RWMutex
	m  map[string]int
}

func (c *Cache) Get(k string) (int, error) {
	c.mu.Lock()
	v, ok := c.m[k]
	if !ok {
		return 0, errMissing // want `return leaves c.mu locked: it is unlocked on other return paths`
	}
	c.mu.Unlock()
	return v, nil
}

func (c *Cache) GoodGet(k string) (int, error) { // ok: unlocked on every path
	c.mu.Lock()
	v, ok := c.m[k]
	if !ok {
		c.mu.Unlock()
		return 0, errMissing
	}
	c.mu.Unlock()
	return v, nil
}

func (c *Cache) Peek(k string) int {
	c.rw.RLock()
	if v, ok := c.m[k]; ok {
		return v // want `return leaves c.rw locked: it is unlocked on other return paths`
	}
	c.rw.RUnlock()
	return -1
}

func (c *Cache) GoodPeek(k string) int { // ok: deferred unlock covers every return
	c.rw.RLock()
	defer c.rw.RUnlock()
	if v, ok := c.m[k]; ok {
		return v
	}
	return -1
}

// lock is an acquire wrapper: it returns holding c.mu on every path.
func (c *Cache) lock() { c.mu.Lock() }

// lockIfOpen hands c.mu to its caller only when it reports success.
func (c *Cache) lockIfOpen() error {
	c.mu.Lock()
	if c.m == nil {
		c.mu.Unlock()
		return errMissing
	}
	return nil
}

// tryHold holds c.mu exactly when it returns true.
func (c *Cache) tryHold() bool {
	c.mu.Lock()
	if c.m == nil {
		c.mu.Unlock()
		return false
	}
	return true
}

// locked returns the unlock function to its caller.
func (c *Cache) locked(skip bool) func() {
	if skip {
		return func() {}
	}
	c.mu.Lock()
	return c.mu.Unlock
}

func (c *Cache) Use() { // ok: callers of the wrappers release
	c.lock()
	c.m = nil
	c.mu.Unlock()
	if c.lockIfOpen() == nil {
		c.mu.Unlock()
	}
}

func (c *Cache) Correlated(cond bool) int { // ok: held only on some paths to the return
	if cond {
		c.mu.Lock()
	}
	n := len(c.m)
	if cond {
		c.mu.Unlock()
	}
	return n
}

func (c *Cache) Panics(k string) int { // ok: a panic path is not a return
	c.mu.Lock()
	v, ok := c.m[k]
	if !ok {
		panic("missing " + k)
	}
	c.mu.Unlock()
	return v
}

// waitUnlocked is called holding c.mu; it drops the lock to wait and
// takes it back on every return (the deferred Lock), including the one
// SSA adds for recovered panics.
func (c *Cache) waitUnlocked(ch chan int) int { // ok: holds c.mu on every return
	c.mu.Unlock()
	defer c.mu.Lock()
	if len(c.m) == 0 {
		return 0
	}
	return <-ch
}

func newCache() *Cache { return &Cache{m: map[string]int{}} }

func Fresh(k string) int { // ok: the cache is this function's own and dies with it
	c := newCache()
	c.mu.Lock()
	if v, ok := c.m[k]; ok {
		return v
	}
	c.mu.Unlock()
	return 0
}

func (c *Cache) Shared(other map[string]*Cache, k string) int {
	e := other[k]
	e.mu.Lock()
	if v, ok := e.m[k]; ok {
		return v // want `return leaves e.mu locked: it is unlocked on other return paths`
	}
	e.mu.Unlock()
	return 0
}

var (
	forkMu   sync.Mutex
	forking  int
	countMu  sync.Mutex
	children = map[int]*Cache{}
)

// acquireFork takes forkMu for the first forker only and leaves it for
// releaseFork: it never unlocks, so it hands the lock over.
func acquireFork() { // ok: conditional hand-over, no unlock of its own
	countMu.Lock()
	defer countMu.Unlock()
	if forking == 0 {
		forkMu.Lock()
		forking++
		return
	}
	forking++
}

type tree struct {
	mu     sync.Mutex
	parent *tree
	n      int
}

// prune locks hand over hand up the tree; the lock held at the return is
// the last node's, which the loop unlocks under another name.
func (t *tree) prune() { // ok: hand-over-hand locking
	i := t
	i.mu.Lock()
	for i.parent != nil && i.n == 0 {
		p := i.parent
		p.mu.Lock()
		i.mu.Unlock()
		i = p
	}
	if i.n > 0 {
		i.mu.Unlock()
		return
	}
	i.mu.Unlock()
}
