package sections

import "sync"

// restore locks revMu twice: a short section first, then one held
// across the receive. The finding's "locked here" is the second Lock.
type twiceStore struct {
	revMu   sync.Mutex
	compact int
	current int
}

func (s *twiceStore) restore(found bool, revc chan int) {
	if found {
		s.revMu.Lock()
		s.compact = 1
		s.revMu.Unlock()
	}
	s.revMu.Lock()
	s.current = <-revc // want `s.revMu held across blocking receive from revc`
	s.revMu.Unlock()
}
