package stale

import "sync"

// A method that calls itself, on the same object, while holding the
// lock it takes on entry.
type rcFlags struct {
	mu      sync.RWMutex
	flags   map[string]bool
	parents map[string]string
}

// BAD: read-locks f.mu again on every level of the chain.
func (f *rcFlags) enabled(name string) bool {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if !f.flags[name] {
		return false
	}
	if p, ok := f.parents[name]; ok {
		return f.enabled(p) // want `recursive read lock: the recursive call of \(\*rcFlags\).enabled read-locks f.mu again while it is read-locked`
	}
	return true
}

// GOOD: the recursion runs in a helper that expects the lock held.
func (f *rcFlags) enabledOK(name string) bool {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.enabledLocked(name)
}

func (f *rcFlags) enabledLocked(name string) bool {
	if !f.flags[name] {
		return false
	}
	if p, ok := f.parents[name]; ok {
		return f.enabledLocked(p)
	}
	return true
}

type rcTree struct {
	mu       sync.Mutex
	children []*rcTree
	n        int
}

// GOOD: each level locks its own node.
func (t *rcTree) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := t.n
	for _, c := range t.children {
		n += c.count()
	}
	return n
}

// BAD: locks t.mu again through the recursion on the same node.
func (t *rcTree) depth(d int) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if d > 0 {
		return t.depth(d - 1) // want `double lock: the recursive call of \(\*rcTree\).depth locks t.mu again while it is held`
	}
	return t.n
}
