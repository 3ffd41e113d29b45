package regress

import "sync"

// A select whose send arm has room by construction (a channel made here
// with one slot, sent on once) always proceeds: holding the lock across
// it holds no one up.
type reporter struct {
	mu   sync.Mutex
	stop chan struct{}
	n    int
}

func (r *reporter) report(code int) int {
	ch := make(chan int, 1)
	r.mu.Lock()
	r.n++
	select {
	case ch <- code:
	case <-r.stop:
	}
	r.mu.Unlock()
	return <-ch
}

// The same with no room: the select waits for a receiver or a stop.
func (r *reporter) reportSync(code int, out chan int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	select { // want `r\.mu held across blocking select without default`
	case out <- code:
	case <-r.stop:
	}
}
