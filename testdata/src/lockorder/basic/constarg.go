package basic

import "sync"

// A commit helper that begins a new transaction, taking the backend's
// lock, unless told it is the last: defrag calls it with stop=true while
// it holds the backend's lock and then the read transaction's, so the
// take in the ruled-out branch is no acquisition of backend.mu under
// caReadTx.mu. defragCommitting passes false and does take it.
type caReadTx struct{ mu sync.RWMutex }

type caBackend struct {
	mu       sync.RWMutex
	caReadTx *caReadTx
	n        int
}

func (b *caBackend) begin() int {
	b.mu.RLock()
	n := b.n
	b.mu.RUnlock()
	return n
}

func (b *caBackend) commit(stop bool) {
	b.n++
	if !stop {
		b.begin()
	}
}

func (b *caBackend) defrag() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.caReadTx.mu.Lock() // want `lock order inversion: caReadTx.mu acquired while holding caBackend.mu; \(\*caBackend\).defragCommitting acquires them in the other order`
	defer b.caReadTx.mu.Unlock()
	b.commit(true)
}

// commitStop hands its constant on: commit(stop) begins nothing when
// stop is true, two calls down.
func (b *caBackend) commitStop(stop bool) {
	b.commit(stop)
}

func (b *caBackend) defragForwarding() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.caReadTx.mu.Lock()
	defer b.caReadTx.mu.Unlock()
	b.commitStop(true)
}

func (b *caBackend) defragCommitting() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.caReadTx.mu.Lock()
	defer b.caReadTx.mu.Unlock()
	b.commit(false)
}
