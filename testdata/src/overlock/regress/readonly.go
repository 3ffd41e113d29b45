package regress

import "sync"

// ---- A read-write mutex that the package only ever read-locks (go-kit's
// cloudwatch sender): holding the read lock across a wait blocks no one.

type sender struct {
	mtx     sync.RWMutex
	results chan int
	names   []string
}

type sendStats struct{ sends, names int }

func (s *sender) Send(st *sendStats) int { // ok: no writer ever waits behind mtx
	s.mtx.RLock()
	defer s.mtx.RUnlock()
	st.names = len(s.names)
	st.sends++
	return <-s.results
}

// The same read lock where a writer exists: the writer waits behind the
// reader's wait, and every later reader behind the writer.
type batcher struct {
	mtx     sync.RWMutex
	results chan int
	names   []string
}

func (b *batcher) Send() int {
	b.mtx.RLock()
	defer b.mtx.RUnlock()
	_ = len(b.names)
	return <-b.results // want `b.mtx \(read\) held across blocking receive from b.results`
}

func (b *batcher) Add(n string) {
	b.mtx.Lock()
	b.names = append(b.names, n)
	b.mtx.Unlock()
}
