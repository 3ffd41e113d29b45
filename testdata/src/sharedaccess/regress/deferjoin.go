package regress

import (
	"context"
	"sync"
)

// A signal relay started and stopped under a lock: the relay reads its
// shutdown channel without the lock, but it runs only between the
// start that sets the field before the go statement and the stop that
// clears it after the relay's deferred answer (go.uber.org/fx's
// signalReceivers).
type djReceivers struct {
	m        sync.Mutex
	signals  chan int
	shutdown chan struct{} // want shutdown:"guarded\\(m\\)"
	finished chan struct{} // want finished:"guarded\\(m\\)"
	last     int
}

func (r *djReceivers) relayer() {
	defer func() {
		r.finished <- struct{}{}
	}()
	select {
	case <-r.shutdown:
		return
	case s := <-r.signals:
		_ = s
	}
}

func (r *djReceivers) running() bool { return r.shutdown != nil && r.finished != nil }

func (r *djReceivers) start() {
	r.m.Lock()
	defer r.m.Unlock()
	if r.running() {
		return
	}
	r.finished = make(chan struct{}, 1)
	r.shutdown = make(chan struct{}, 1)
	go r.relayer()
}

func (r *djReceivers) stop(ctx context.Context) error {
	r.m.Lock()
	defer r.m.Unlock()
	if !r.running() {
		return nil
	}
	r.shutdown <- struct{}{}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-r.finished:
		close(r.shutdown)
		close(r.finished)
		r.shutdown = nil
		r.finished = nil
		return nil
	}
}

// The same relay whose stop clears the channels without waiting for the
// relay's answer: its read of shutdown may come after the clear.
type djReceivers2 struct {
	m        sync.Mutex
	signals  chan int
	shutdown chan struct{} // want shutdown:"guarded\\(m\\)"
	finished chan struct{} // want finished:"guarded\\(m\\)"
}

func (r *djReceivers2) relayer() {
	defer func() {
		r.finished <- struct{}{}
	}()
	select {
	case <-r.shutdown: // want `unsynchronized read of r.shutdown: \(\*djReceivers2\).relayer reads it without r.m, which \(\*djReceivers2\).stop writes holding it`
		return
	case s := <-r.signals:
		_ = s
	}
}

func (r *djReceivers2) start() {
	r.m.Lock()
	defer r.m.Unlock()
	if r.shutdown != nil {
		return
	}
	r.finished = make(chan struct{}, 1)
	r.shutdown = make(chan struct{}, 1)
	go r.relayer()
}

func (r *djReceivers2) stop() {
	r.m.Lock()
	defer r.m.Unlock()
	if r.shutdown == nil {
		return
	}
	r.shutdown <- struct{}{}
	r.shutdown = nil
	r.finished = nil
}
