package unreleased

import (
	"errors"
	"sync"
)

// A deferred closure that unlocks unless a flag says the body already
// did (nats-server's filestore recovery): every return releases the
// lock, the early ones through the deferred call.

type recoverer struct {
	mu    sync.Mutex
	other sync.Mutex
	n     int
}

func step() error { return errors.New("failed") }

func (r *recoverer) recoverArg() error {
	r.mu.Lock()
	unlocked := false
	defer func(r *recoverer) {
		if !unlocked {
			r.mu.Unlock()
		}
	}(r)
	if err := step(); err != nil {
		return err
	}
	r.n++
	r.mu.Unlock()
	unlocked = true
	return nil
}

func (r *recoverer) recoverCapture() error {
	r.mu.Lock()
	unlocked := false
	defer func() {
		if !unlocked {
			r.mu.Unlock()
		}
	}()
	if err := step(); err != nil {
		return err
	}
	r.n++
	r.mu.Unlock()
	unlocked = true
	return nil
}

// recoverWrongLock's deferred closure unlocks another lock: the early
// return leaves r.mu held.
func (r *recoverer) recoverWrongLock() error {
	r.mu.Lock()
	r.other.Lock()
	unlocked := false
	defer func() {
		if !unlocked {
			r.other.Unlock()
		}
	}()
	if err := step(); err != nil {
		return err // want `return leaves r.mu locked: it is unlocked on other return paths`
	}
	r.mu.Unlock()
	r.other.Unlock()
	unlocked = true
	return nil
}

// yieldLocked must be called with r.mu held: it lets others in and
// takes the lock back before returning, on both paths.
func (r *recoverer) yieldLocked(busy bool) bool {
	if busy {
		r.mu.Unlock()
		r.mu.Lock()
		return false
	}
	r.n++
	return true
}
