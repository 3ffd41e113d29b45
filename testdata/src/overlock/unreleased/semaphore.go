package unreleased

import (
	"context"
	"errors"
	"sync"
)

var errBusy = errors.New("busy")

// limiter is a counting semaphore: a send takes a slot, a receive gives
// it back.
type limiter struct {
	sem chan struct{}
}

func (l *limiter) doBad(f func() error) error {
	l.sem <- struct{}{}
	if err := f(); err != nil {
		return err // want `return keeps the slot taken from semaphore l.sem: the other return paths give it back with a receive`
	}
	<-l.sem
	return nil
}

func (l *limiter) doDeferGood(f func() error) error {
	l.sem <- struct{}{}
	defer func() { <-l.sem }()
	if err := f(); err != nil {
		return err
	}
	return nil
}

func (l *limiter) doEveryPathGood(f func() error) error {
	l.sem <- struct{}{}
	if err := f(); err != nil {
		<-l.sem
		return err
	}
	<-l.sem
	return nil
}

func (l *limiter) release() { <-l.sem }

func (l *limiter) doHelperGood(f func() error) error {
	l.sem <- struct{}{}
	if err := f(); err != nil {
		l.release()
		return err
	}
	<-l.sem
	return nil
}

// doCtxBad takes its slot in a select that gives up on ctx.Done(); the
// error after it keeps the slot.
func (l *limiter) doCtxBad(ctx context.Context, f func() error) error {
	select {
	case l.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	if err := f(); err != nil {
		return err // want `return keeps the slot taken from semaphore l.sem`
	}
	<-l.sem
	return nil
}

func (l *limiter) doCtxGood(ctx context.Context, f func() error) error {
	select {
	case l.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	err := f()
	<-l.sem
	return err
}

// tryAcquireGood keeps the slot exactly when it reports success.
func (l *limiter) tryAcquireGood(ok func() bool) bool {
	l.sem <- struct{}{}
	if ok() {
		return true
	}
	<-l.sem
	return false
}

// doAsyncGood hands the slot to the goroutine it starts, which gives
// it back.
func (l *limiter) doAsyncGood(async bool, f func()) {
	l.sem <- struct{}{}
	if async {
		go func() {
			defer func() { <-l.sem }()
			f()
		}()
		return
	}
	f()
	<-l.sem
}

// tokens starts full: a receive takes a token and a send returns it.
type tokens struct {
	free chan struct{}
}

func (t *tokens) useBad(f func() error) error {
	<-t.free
	if err := f(); err != nil {
		return err // want `return keeps the slot taken from semaphore t.free: the other return paths give it back with a send`
	}
	t.free <- struct{}{}
	return nil
}

// A channel of one boolean that holds an object's state: the return
// into a terminal state keeps the token on purpose.
type txn struct {
	flow  chan bool
	state int
}

func (t *txn) commitGood(end func() error, fatal func(error) bool) error {
	<-t.flow
	err := end()
	if err != nil {
		if fatal(err) {
			t.state = 2
			return err
		}
		t.flow <- true
	}
	return err
}

// queue is no semaphore: the values received are used.
type queue struct {
	items chan int
}

func (q *queue) roundTripGood(f func(int) error) error {
	q.items <- 1
	v := <-q.items
	if err := f(v); err != nil {
		return err
	}
	q.items <- v
	return nil
}

// A lookup that upgrades on a miss: each branch defers the release of
// what it holds, and the shared return runs either one. Clean.

var (
	regMu sync.RWMutex
	reg   = map[string]*int{}
)

func lookupOrCreate(name string) (*int, bool) {
	regMu.RLock()
	_, ok := reg[name]
	if !ok {
		regMu.RUnlock()
		regMu.Lock()
		defer regMu.Unlock()
		if v, ok := reg[name]; ok {
			return v, false
		}
		reg[name] = new(int)
	} else {
		defer regMu.RUnlock()
	}
	return reg[name], !ok
}
