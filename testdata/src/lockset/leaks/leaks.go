// Package leaks has functions that return holding a lock on some paths
// only, and helpers that release a lock when a flag says it is held.
package leaks

import "sync"

type Q struct {
	mu     sync.Mutex
	rw     sync.RWMutex
	closed bool
	held   bool
	items  []int
}

// The closed path returns without unlocking.
func (q *Q) pop() { // want pop:`takes\(0.mu\) leaks\(0.mu\)`
	q.mu.Lock()
	if q.closed {
		return
	}
	q.items = q.items[1:]
	q.mu.Unlock()
}

// Every path unlocks: no leak.
func (q *Q) popOK() { // want popOK:`takes\(0.mu\)`
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return
	}
	q.items = q.items[1:]
	q.mu.Unlock()
}

// A leak in a callee is the caller's leak too.
func (q *Q) popTwice() { // want popTwice:`takes\(0.mu\) leaks\(0.mu\)`
	q.popOK()
	q.pop()
}

// A read lock kept on purpose, recorded in a flag.
func (q *Q) peek(keep bool) { // want peek:`takes\(0.rw\(r\)\) leaks\(0.rw\(r\)\)`
	q.rw.RLock()
	if keep {
		q.held = true
		return
	}
	q.rw.RUnlock()
}

// The helper that releases it when the flag says so.
func (q *Q) release() { // want release:`mayreleases\(0.rw\(r\)\)`
	if q.held {
		q.held = false
		q.rw.RUnlock()
	}
}

// The flag-settled leak does not leave the caller leaking.
func (q *Q) peekAndRelease() { // want peekAndRelease:`^takes\(0.rw\(r\)\)$`
	q.peek(true)
	q.release()
}
