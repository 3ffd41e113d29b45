// Package cond pairs a condition variable that nothing wakes with clean
// twins.
package cond

import "sync"

type plugin struct {
	activateWait *sync.Cond
	activated    bool
}

// waitActive waits for an activation that no code signals.
func (p *plugin) waitActive() {
	p.activateWait.L.Lock()
	for !p.activated {
		p.activateWait.Wait() // want `goroutine leak: the Wait on activateWait blocks for ever: no code calls activateWait.Signal or activateWait.Broadcast`
	}
	p.activateWait.L.Unlock()
}

func newPlugin() *plugin {
	return &plugin{activateWait: sync.NewCond(&sync.Mutex{})}
}

type queue struct {
	mu    sync.Mutex
	ready sync.Cond
	items []int
}

// pop waits for push, which broadcasts.
func (q *queue) pop() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.ready.Wait()
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

func (q *queue) push(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.ready.Broadcast()
}

type handed struct {
	cond *sync.Cond
	done bool
}

// wait waits on a condition variable handed to wake, which this check
// does not follow.
func (h *handed) wait() {
	h.cond.L.Lock()
	for !h.done {
		h.cond.Wait()
	}
	h.cond.L.Unlock()
}

func wake(c *sync.Cond) { c.Signal() }

func (h *handed) finish() { wake(h.cond) }

// Exported fields may be signalled by other packages.
type Shared struct {
	Cond *sync.Cond
	Done bool
}

func (s *Shared) Wait() {
	s.Cond.L.Lock()
	for !s.Done {
		s.Cond.Wait()
	}
	s.Cond.L.Unlock()
}

var (
	startMu sync.Mutex
	started = sync.NewCond(&startMu)
	isUp    bool
)

// awaitStart waits on a package variable that markUp broadcasts.
func awaitStart() {
	startMu.Lock()
	for !isUp {
		started.Wait()
	}
	startMu.Unlock()
}

func markUp() {
	startMu.Lock()
	isUp = true
	startMu.Unlock()
	started.Broadcast()
}

var (
	stopMu  sync.Mutex
	stopped = sync.NewCond(&stopMu)
	isDown  bool
)

// awaitStop waits on a package variable that nothing wakes.
func awaitStop() {
	stopMu.Lock()
	for !isDown {
		stopped.Wait() // want `goroutine leak: the Wait on stopped blocks for ever: no code calls stopped.Signal or stopped.Broadcast`
	}
	stopMu.Unlock()
}
