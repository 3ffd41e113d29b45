package regress

import (
	"sync"
	"time"
)

// A wait that a short constant timeout ends: the lock is held at most
// that long. Clean.

type assoc struct{ acked chan struct{} }

func (a *assoc) abort() {
	select {
	case <-a.acked:
	case <-time.After(200 * time.Millisecond):
	}
}

type sctpTransport struct {
	mu    sync.Mutex
	assoc *assoc
}

func (t *sctpTransport) stop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.assoc != nil {
		t.assoc.abort()
		t.assoc = nil
	}
}

// A long timeout, or one the caller chooses, keeps every other caller
// waiting as long.

type slowAssoc struct{ acked chan struct{} }

func (a *slowAssoc) abort(d time.Duration) {
	select {
	case <-a.acked:
	case <-time.After(d):
	}
}

func (a *slowAssoc) abortLong() {
	select {
	case <-a.acked:
	case <-time.After(30 * time.Second):
	}
}

type slowTransport struct {
	mu      sync.Mutex
	assoc   *slowAssoc
	stopped bool
}

func (t *slowTransport) stop(d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.assoc.abort(d) // want `t.mu held across blocking select without default`
	t.stopped = true
}

func (t *slowTransport) stopLong() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.assoc.abortLong() // want `t.mu held across blocking select without default`
	t.stopped = true
}

func (a *assoc) ack()     { close(a.acked) }
func (a *slowAssoc) ack() { close(a.acked) }
