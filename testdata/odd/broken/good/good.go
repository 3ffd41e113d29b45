// Package good type-checks and has a finding.
package good

import "sync"

// Queue is guarded by mu.
type Queue struct {
	mu    sync.Mutex
	items []int
	ready chan struct{}
}

// Pop waits for an item while holding q.mu.
func (q *Queue) Pop() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	<-q.ready
	x := q.items[0]
	q.items = q.items[1:]
	return x
}

// New makes a Queue whose ready channel is made.
func New() *Queue { return &Queue{ready: make(chan struct{})} }

// Signal wakes one Pop.
func (q *Queue) Signal() { q.ready <- struct{}{} }
