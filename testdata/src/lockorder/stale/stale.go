// Package stale holds locks that a path leaves held: an early exit that
// skips the unlock, a loop that goes round holding the lock, and a
// helper that returns holding it on some paths.
package stale

import (
	"errors"
	"sync"
)

type Pool struct {
	mu      sync.Mutex
	stopped bool
	slots   []int
}

// BAD: the stopped path breaks out of the loop still holding p.mu.
func (p *Pool) drain() {
	for {
		p.mu.Lock()
		if p.stopped {
			break
		}
		p.slots = p.slots[:0]
		p.mu.Unlock()
		break
	}
}

func (p *Pool) Reset() {
	p.drain()
	p.mu.Lock() // want `double lock: p.mu locked while it may still be held: \(\*stale.Pool\).drain returns without unlocking it on some paths`
	p.slots = nil
	p.mu.Unlock()
}

// GOOD: every path of drainOK unlocks.
func (p *Pool) drainOK() {
	for {
		p.mu.Lock()
		if p.stopped {
			p.mu.Unlock()
			break
		}
		p.slots = p.slots[:0]
		p.mu.Unlock()
		break
	}
}

func (p *Pool) ResetOK() {
	p.drainOK()
	p.mu.Lock()
	p.slots = nil
	p.mu.Unlock()
}

// BAD: a failed attempt goes round the loop with p.mu held.
func (p *Pool) Fill(try func() error) {
	for i := 0; i < 3; i++ {
		p.mu.Lock() // want `double lock: p.mu locked again on the next loop iteration while it may still be held: a path round the loop skips the unlock`
		if err := try(); err != nil {
			continue
		}
		p.slots = append(p.slots, i)
		p.mu.Unlock()
	}
}

// GOOD: the failed attempt unlocks before going round.
func (p *Pool) FillOK(try func() error) {
	for i := 0; i < 3; i++ {
		p.mu.Lock()
		if err := try(); err != nil {
			p.mu.Unlock()
			continue
		}
		p.slots = append(p.slots, i)
		p.mu.Unlock()
	}
}

// GOOD: the lock is held across a batch of iterations on purpose and
// released at the batch end; the same acquisition is released on
// another path into the loop head, so no path is known to skip it.
func (p *Pool) Batches(items []int) {
	for i, it := range items {
		if i%4 == 0 {
			p.mu.Lock()
		}
		p.slots = append(p.slots, it)
		if i%4 == 3 || i == len(items)-1 {
			p.mu.Unlock()
		}
	}
}

// GOOD: a flag records whether the early path already unlocked.
func (p *Pool) Flagged(fast bool) {
	p.mu.Lock()
	unlocked := false
	if fast {
		p.mu.Unlock()
		unlocked = true
	}
	if !unlocked {
		p.mu.Unlock()
	}
	p.mu.Lock()
	p.mu.Unlock()
}

var errStopped = errors.New("stopped")

// lockOpen returns holding p.mu when it returns nil: the result tells
// the caller whether the lock is held.
func (p *Pool) lockOpen() error {
	p.mu.Lock()
	if p.stopped {
		p.mu.Unlock()
		return errStopped
	}
	return nil
}

// GOOD: the caller checks the result.
func (p *Pool) Use() {
	if err := p.lockOpen(); err != nil {
		p.mu.Lock()
		p.stopped = false
		p.mu.Unlock()
		return
	}
	p.slots = nil
	p.mu.Unlock()
}

// BAD: the result is dropped, so the caller cannot know that the lock
// is still held, and a goroutine that needs it waits for ever.
func (p *Pool) Kick() {
	p.lockOpen()
	done := make(chan struct{})
	go func() { // want `deadlock: the goroutine started here locks p.mu, which may still be held and is never released: \(\*stale.Pool\).lockOpen returns without unlocking it on some paths`
		p.mu.Lock()
		p.slots = nil
		p.mu.Unlock()
		close(done)
	}()
	<-done
}

// GOOD: the result is dropped but the caller unlocks afterwards.
func (p *Pool) KickOK() {
	p.lockOpen()
	p.mu.Unlock()
	done := make(chan struct{})
	go func() {
		p.mu.Lock()
		p.slots = nil
		p.mu.Unlock()
		close(done)
	}()
	<-done
}

type node struct {
	mu     sync.Mutex
	up     *node
	active bool
}

// GOOD: each iteration locks a different node (the cursor moves up the
// chain), so the lock still held from the previous round is another one.
func (n *node) firstActive() *node {
	for p := n.up; p != nil; p = p.up {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.active {
			return p
		}
	}
	return nil
}
