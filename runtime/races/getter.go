package races

import (
	"sync"
	"sync/atomic"
)

// BadStats records events under mu, but its getter reads the count
// without mu: a reader races with every writer.
type BadStats struct {
	mu     sync.Mutex
	events int
}

// Record counts one event.
func (s *BadStats) Record() {
	s.mu.Lock()
	s.events++ // race: BadStats
	s.mu.Unlock()
}

// Events returns the number of events recorded so far.
func (s *BadStats) Events() int {
	return s.events // race: BadStats
}

// GoodStatsMutex takes mu in the getter too.
type GoodStatsMutex struct {
	mu     sync.Mutex
	events int
}

// Record counts one event.
func (s *GoodStatsMutex) Record() {
	s.mu.Lock()
	s.events++
	s.mu.Unlock()
}

// Events returns the number of events recorded so far.
func (s *GoodStatsMutex) Events() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.events
}

// GoodStatsAtomic needs no lock: the count is an atomic.Int64.
type GoodStatsAtomic struct {
	events atomic.Int64
}

// Record counts one event.
func (s *GoodStatsAtomic) Record() { s.events.Add(1) }

// Events returns the number of events recorded so far.
func (s *GoodStatsAtomic) Events() int { return int(s.events.Load()) }
