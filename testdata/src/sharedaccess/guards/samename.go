package guards

import (
	"sync"
	"time"
)

// Two types whose mutexes share a field name are two locks: the sweeper
// reads the current generation holding its bucket's mu, which does not
// guard what the table's own mu guards.
type bucket struct {
	mu    sync.Mutex
	items []int // want items:"guarded\\(mu\\)"
}

type genTable struct {
	mu      sync.Mutex
	buckets []bucket
	gen     *int // want gen:"guarded\\(mu\\)"
}

func newGenTable(n int) *genTable {
	t := &genTable{buckets: make([]bucket, n)}
	go t.sweep()
	return t
}

func (t *genTable) SetGen(g *int) { // want SetGen:"accesses\\(w 0\\.gen \\[\\(\\*guards\\.genTable\\)\\.mu\\]; r 0\\.gen \\[\\(\\*guards\\.genTable\\)\\.mu\\]\\)"
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.gen != g {
		t.gen = g
	}
}

func (t *genTable) sweep() {
	for n := 0; ; n++ {
		time.Sleep(time.Millisecond)
		b := &t.buckets[n%len(t.buckets)]
		b.mu.Lock()
		if t.gen == nil { // want `unsynchronized read of t\.gen: \(\*genTable\)\.sweep reads it without t\.mu, which \(\*genTable\)\.SetGen writes holding it`
			b.items = b.items[:0]
		}
		b.mu.Unlock()
	}
}

// The same sweeper that takes the table's lock for the read.
type lockedGenTable struct {
	mu      sync.Mutex
	buckets []bucket
	gen     *int // want gen:"guarded\\(mu\\)"
}

func newLockedGenTable(n int) *lockedGenTable {
	t := &lockedGenTable{buckets: make([]bucket, n)}
	go t.sweep()
	return t
}

func (t *lockedGenTable) SetGen(g *int) { // want SetGen:"accesses\\(w 0\\.gen \\[\\(\\*guards\\.lockedGenTable\\)\\.mu\\]; r 0\\.gen \\[\\(\\*guards\\.lockedGenTable\\)\\.mu\\]\\)"
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.gen != g {
		t.gen = g
	}
}

func (t *lockedGenTable) sweep() {
	for n := 0; ; n++ {
		time.Sleep(time.Millisecond)
		t.mu.Lock()
		idle := t.gen == nil
		t.mu.Unlock()
		b := &t.buckets[n%len(t.buckets)]
		b.mu.Lock()
		if idle {
			b.items = b.items[:0]
		}
		b.mu.Unlock()
	}
}
