package stale

import "sync"

// Machine's Fire releases mu on its idle path, in the step it runs
// through a function field (which records it in the flag), or in its
// deferred call, which unlocks unless the flag says it is released.
type Machine struct {
	mu   sync.Mutex
	idle bool
	step func()
}

func (m *Machine) Fire(async bool) {
	m.mu.Lock()
	var unlocked bool
	defer func() {
		if !unlocked {
			m.mu.Unlock()
		}
	}()
	if m.idle {
		m.mu.Unlock()
		unlocked = true
		return
	}
	m.step = func() {
		m.mu.Unlock()
		unlocked = true
	}
	if async {
		return
	}
	m.step()
}

// GOOD: every path of Fire releases mu, so firing twice is no double
// lock.
func FireTwice(m *Machine) {
	m.Fire(false)
	m.Fire(true)
}

// BAD: the same shape without the deferred release leaves mu held on
// the async path.
type Latch struct {
	mu   sync.Mutex
	idle bool
	step func()
}

func (l *Latch) Fire(async bool) {
	l.mu.Lock()
	if l.idle {
		l.mu.Unlock()
		return
	}
	l.step = func() { l.mu.Unlock() }
	if async {
		return
	}
	l.step()
}

func FireLatchTwice(l *Latch) {
	l.Fire(true)
	l.Fire(false) // want `double lock: l.mu locked by \(\*stale.Latch\).Fire while it may still be held: \(\*stale.Latch\).Fire returns without unlocking it on some paths`
}
