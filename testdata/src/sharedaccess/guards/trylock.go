package guards

import "sync"

// A TryLock in a copy of the receiver guards nothing either: every lock
// operation that acquires counts, as lockset counts it.
type TryBox struct {
	mu sync.Mutex
	v  int
}

func (b TryBox) Set(v int) {
	if b.mu.TryLock() { // want `unsynchronized access through copied lock: \(TryBox\).Set locks b.mu in a copy of its receiver`
		b.v = v
		b.mu.Unlock()
	}
}

func (b *TryBox) SetPtr(v int) { // want SetPtr:"accesses\\(w 0\\.v \\[\\(\\*guards\\.TryBox\\)\\.mu\\]\\)"
	if b.mu.TryLock() {
		b.v = v
		b.mu.Unlock()
	}
}
