package recall

import (
	"sync"
	"sync/atomic"
)

type Gate struct {
	mu       sync.Mutex
	draining int32
	count    int64
}

func (g *Gate) tryEnter() bool {
	return atomic.LoadInt32(&g.draining) == 0
}

// Drain writes the flag plainly while tryEnter reads it atomically.
func (g *Gate) Drain() { // want Drain:"accesses\\(w 0\\.draining \\[\\(\\*recall\\.Gate\\)\\.mu\\]\\)"
	g.mu.Lock()
	defer g.mu.Unlock()
	g.draining = 1 // want `unsynchronized write to g.draining: \(\*Gate\).Drain writes it without sync/atomic, which \(\*Gate\).tryEnter uses on it`
}

func (g *Gate) DrainAtomic() {
	g.mu.Lock()
	defer g.mu.Unlock()
	atomic.StoreInt32(&g.draining, 1)
}

// A constructor fills the field before anyone else can see the object.
func newGate(n int64) *Gate {
	g := &Gate{}
	g.count = n
	return g
}

func (g *Gate) add() { atomic.AddInt64(&g.count, 1) }

type pending struct{ left int32 }

type job struct{ p *pending }

func (p *pending) finish() bool { return atomic.AddInt32(&p.left, -1) == 0 }

// The counter is handed to the jobs before it is set.
func Submit(jobs chan<- job, n int) { // want Submit:`accesses\(send 0\)`
	p := &pending{}
	jobs <- job{p: p}
	p.left += int32(n) // want `unsynchronized write to p.left: Submit writes it without sync/atomic, which \(\*pending\).finish uses on it`
}

func SubmitSetFirst(jobs chan<- job, n int) { // want SubmitSetFirst:`accesses\(send 0\)`
	p := &pending{}
	p.left = int32(n)
	jobs <- job{p: p}
}
