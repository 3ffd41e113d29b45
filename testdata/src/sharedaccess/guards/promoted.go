package guards

import "sync"

// A field reached through an embedded struct is the outer value's own
// (promoted) field: the wrapper's Peek skips the lock that Base's
// methods hold.
type Base struct {
	mu sync.Mutex
	n  int // want n:`guarded\(mu\)`
}

func (b *Base) Inc() { // want Inc:`accesses\(w 0\.n \[\(\*guards\.Base\)\.mu\]; r 0\.n \[\(\*guards\.Base\)\.mu\]\)`
	b.mu.Lock()
	b.n++
	b.mu.Unlock()
}

func (b *Base) Reset() { // want Reset:`accesses\(w 0\.n \[\(\*guards\.Base\)\.mu\]\)`
	b.mu.Lock()
	b.n = 0
	b.mu.Unlock()
}

type Wrapped struct {
	*Base
	name string
}

func (w *Wrapped) Peek() int { // want Peek:`accesses\(r 0\.Base; r 0\.Base\.n\)`
	return w.Base.n // want `unsynchronized read of w.Base.n: \(\*Wrapped\).Peek reads it without w.Base.mu, which \(\*Base\).Inc writes holding it`
}

func (w *Wrapped) PeekLocked() int { // want PeekLocked:`accesses\(r 0\.Base \[\(\*guards\.Base\)\.mu,caller-held\]; r 0\.Base \[caller-held\]; r 0\.Base\.n \[\(\*guards\.Base\)\.mu,caller-held\]\)`
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.n
}

// A named field holds another object, which the holder may order or
// lock by other means (a transaction holding the database's lock from
// Begin to Commit, a restart that stops the reader first): not
// reported.
type Holder struct {
	mu   sync.Mutex
	b    *Base
	name string
}

func (h *Holder) Peek() int { // want Peek:`accesses\(r 0\.b; r 0\.b\.n\)`
	return h.b.n
}

// Under the holder's own lock the holder may have its own protocol for
// the object: not reported.
func (h *Holder) PeekHeld() int { // want PeekHeld:`accesses\(r 0\.b \[\(\*guards\.Holder\)\.mu\]; r 0\.b\.n \[\(\*guards\.Holder\)\.mu\]\)`
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.b.n
}
