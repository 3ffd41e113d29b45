package alias // want package:`edges\(\(\*sync.Cond\).L->\(\*alias.Queue\).mu\)`

// sync.Cond and sync.Locker fields that stand for a mutex field of the
// same object.

import "sync"

type Index struct {
	mu      sync.RWMutex
	changed *sync.Cond
	reader  sync.Locker
	keys    []string
}

func NewIndex() *Index {
	x := &Index{}
	x.changed = sync.NewCond(x.mu.RLocker())
	x.reader = x.mu.RLocker()
	return x
}

func (x *Index) size() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.keys)
}

// BAD: changed.L is x.mu's read side, so size read-locks x.mu again.
func (x *Index) WaitFor(n int) {
	x.changed.L.Lock()
	defer x.changed.L.Unlock()
	for x.size() < n { // want `recursive read lock: \(\*alias.Index\).size read-locks x.mu while it is read-locked`
		x.changed.Wait()
	}
}

// BAD: reader is x.mu's read side; Lock upgrades it.
func (x *Index) Add(k string) {
	x.reader.Lock()
	defer x.reader.Unlock()
	x.mu.Lock() // want `lock upgrade deadlock: x.mu locked for writing while read-locked`
	x.keys = append(x.keys, k)
	x.mu.Unlock()
}

// GOOD: the length is read under the Cond's lock directly.
func (x *Index) WaitForOK(n int) {
	x.changed.L.Lock()
	defer x.changed.L.Unlock()
	for len(x.keys) < n {
		x.changed.Wait()
	}
}

// A Cond whose lock is not a field of the same object is left alone.
type Queue struct {
	mu    sync.Mutex
	ready *sync.Cond
}

func NewQueue(shared *sync.Mutex) *Queue {
	q := &Queue{}
	q.ready = sync.NewCond(shared)
	return q
}

// GOOD: ready.L is another mutex than q.mu.
func (q *Queue) Poke() {
	q.ready.L.Lock()
	q.mu.Lock()
	q.mu.Unlock()
	q.ready.L.Unlock()
}
