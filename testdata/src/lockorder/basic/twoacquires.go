package basic

import "sync"

// lockBoth returns holding both of a store's locks, index before data,
// and every other section takes them in that order too: a caller of
// lockBoth does not invent the other order between the two (its summary
// lists them sorted by name, data first).
type pairStore struct {
	index sync.Mutex
	data  sync.Mutex
	n     int
}

func (s *pairStore) lockBoth() {
	s.index.Lock()
	s.data.Lock()
}

func (s *pairStore) unlockBoth() {
	s.data.Unlock()
	s.index.Unlock()
}

func (s *pairStore) Bump() {
	s.lockBoth() // ok: index, then data, as in Read
	s.n++
	s.unlockBoth()
}

func (s *pairStore) Read() int {
	s.index.Lock()
	defer s.index.Unlock()
	s.data.Lock()
	defer s.data.Unlock()
	return s.n
}

// The same store whose reader takes data first: a real inversion.
type swappedStore struct {
	index sync.Mutex
	data  sync.Mutex
	n     int
}

func (s *swappedStore) lockBoth() {
	s.index.Lock()
	s.data.Lock() // want `lock order inversion: swappedStore\.data acquired while holding swappedStore\.index`
}

func (s *swappedStore) unlockBoth() {
	s.data.Unlock()
	s.index.Unlock()
}

func (s *swappedStore) Bump() {
	s.lockBoth()
	s.n++
	s.unlockBoth()
}

func (s *swappedStore) Read() int {
	s.data.Lock()
	defer s.data.Unlock()
	s.index.Lock()
	defer s.index.Unlock()
	return s.n
}
