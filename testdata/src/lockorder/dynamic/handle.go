package dynamic

import "sync"

// A store whose write opens a transaction holding the store's read lock
// and returns a handle to it (wrapped for metrics, so the interface
// call cannot be resolved); the handle's End releases the lock. A loop
// that ends each handle it opens locks nothing twice; one that never
// ends them does.

type hTxnRead interface {
	Get(k string) int
	End()
}

type hTxnWrite interface {
	hTxnRead
	Put(k string) int
}

type hStore struct {
	mu    sync.RWMutex
	revMu sync.RWMutex
	rev   int
	m     map[string]int
}

type hStoreTxnRead struct{ s *hStore }

func (t *hStoreTxnRead) Get(k string) int { return t.s.m[k] }
func (t *hStoreTxnRead) End() {
	t.s.revMu.RUnlock()
	t.s.mu.RUnlock()
}

type hStoreTxnWrite struct {
	s       *hStore
	changes int
}

func (t *hStoreTxnWrite) Get(k string) int { return t.s.m[k] }
func (t *hStoreTxnWrite) Put(k string) int { t.s.m[k]++; t.changes++; return t.s.rev + 1 }
func (t *hStoreTxnWrite) End() {
	if t.changes != 0 {
		t.s.revMu.Lock()
		t.s.rev++
		t.s.revMu.Unlock()
	}
	t.s.mu.RUnlock()
}

type hMetricsTxn struct {
	hTxnWrite
	ops int
}

func (m *hMetricsTxn) End() { m.ops++; m.hTxnWrite.End() }

func (s *hStore) read() hTxnRead {
	s.mu.RLock()
	s.revMu.RLock()
	return &hStoreTxnRead{s: s}
}

func (s *hStore) write() hTxnWrite {
	s.mu.RLock()
	return newHMetered(&hStoreTxnWrite{s: s})
}

func newHMetered(tw hTxnWrite) hTxnWrite { return &hMetricsTxn{hTxnWrite: tw} }

func (s *hStore) compact() {
	s.mu.Lock()
	s.m = map[string]int{}
	s.mu.Unlock()
}

func hUse(s *hStore, keys []string) int {
	n := 0
	for _, k := range keys {
		txn := s.write()
		n += txn.Put(k)
		txn.End()
	}
	return n
}

func hLeak(s *hStore, keys []string) {
	for _, k := range keys {
		txn := s.write() // want `double lock: s.mu read-locked by \(\*dynamic.hStore\).write again on the next loop iteration while it may still be held: nothing in the loop unlocks it`
		txn.Put(k)
	}
}
