package regress

import (
	"sync"
	"time"
)

// A timer behind a test clock's abstraction: draining it after a Stop
// that reports false takes the value that is there, as with a
// *time.Timer. A receive after a Stop that succeeded is not the idiom.

type ctTimer interface {
	C() <-chan time.Time
	Stop() bool
}

type ctClock interface {
	NewTimer(d time.Duration) ctTimer
	AfterFunc(d time.Duration) (<-chan time.Time, func() bool)
}

type ctBatch struct {
	mu    sync.Mutex
	clock ctClock
	n     int
}

// GOOD: the idiom through a timer interface.
func (b *ctBatch) reset(t ctTimer) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !t.Stop() {
		<-t.C()
	}
	b.n = 0
}

// GOOD: the idiom with the channel and the stop from one call.
func (b *ctBatch) resetPair(d time.Duration) {
	c, stop := b.clock.AfterFunc(d)
	b.mu.Lock()
	defer b.mu.Unlock()
	if !stop() {
		<-c
	}
	b.n = 0
}

// BAD: waits for a timer that Stop has just stopped.
func (b *ctBatch) resetWrong(t ctTimer) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if t.Stop() {
		<-t.C() // want `b.mu held across blocking receive from t.C\(\)`
	}
	b.n = 0
}
