package regress

import (
	"context"
	"sync"
)

// A hand-written condition variable whose Wait, like sync.Cond's,
// unlocks the caller's mutex (its L, set from the constructor's
// argument) before it blocks.

type cwCond struct {
	L      sync.Locker
	signal chan struct{}
}

func newCwCond(l sync.Locker) *cwCond { return &cwCond{L: l, signal: make(chan struct{}, 1)} }

func (c *cwCond) Wait(ctx context.Context) bool {
	c.L.Unlock()
	defer c.L.Lock()
	select {
	case <-c.signal:
		return true
	case <-ctx.Done():
		return false
	}
}

type cwQueue struct {
	mu       *sync.Mutex
	notEmpty *cwCond
	items    []int
}

func newCwQueue() *cwQueue {
	mu := new(sync.Mutex)
	return &cwQueue{mu: mu, notEmpty: newCwCond(mu)}
}

// GOOD: Wait releases q.mu while it blocks.
func (q *cwQueue) take(ctx context.Context) (int, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		if !q.notEmpty.Wait(ctx) {
			return 0, false
		}
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v, true
}

// A waiter that releases its own mutex, not the caller's.
type cwOwn struct {
	mu     sync.Mutex
	signal chan struct{}
}

func newCwOwn() *cwOwn { return &cwOwn{signal: make(chan struct{})} }

func (w *cwOwn) wait() {
	w.mu.Unlock()
	<-w.signal
	w.mu.Lock()
}

// BAD: q.mu stays held while wait blocks.
func (q *cwQueue) takeOwn(w *cwOwn) {
	q.mu.Lock()
	defer q.mu.Unlock()
	w.mu.Lock()
	w.wait() // want `q.mu held across blocking receive from w.signal \(via \(\*cwOwn\).wait\)`
	w.mu.Unlock()
}
