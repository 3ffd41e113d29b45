package guards

import "sync"

// Listener's only locked writes are to a listener its constructor-like
// function has just made: that locking does not make addr a guarded
// field.
type Listener struct {
	mu   sync.Mutex
	addr string
}

func newListener() *Listener { return &Listener{} }

func ListenOn(addr string) *Listener {
	l := newListener()
	l.mu.Lock()
	l.addr = addr
	l.mu.Unlock()
	return l
}

func ListenLocal(addr string) *Listener {
	l := &Listener{}
	l.mu.Lock()
	l.addr = addr
	l.mu.Unlock()
	return l
}

func (l *Listener) Addr() string { return l.addr } // want Addr:`accesses\(r 0\.addr\)`

// Endpoint is written under its mutex by a method, on whatever value
// the caller shares: its unlocked read races with it.
type Endpoint struct {
	mu   sync.Mutex
	addr string // want addr:"guarded\\(mu\\)"
}

func (e *Endpoint) Rebind(addr string) { // want Rebind:`accesses\(w 0\.addr \[\(\*guards\.Endpoint\)\.mu\]\)`
	e.mu.Lock()
	e.addr = addr
	e.mu.Unlock()
}

func (e *Endpoint) Reset() { // want Reset:`accesses\(w 0\.addr \[\(\*guards\.Endpoint\)\.mu\]\)`
	e.mu.Lock()
	e.addr = ""
	e.mu.Unlock()
}

func (e *Endpoint) Addr() string { // want Addr:`accesses\(r 0\.addr\)`
	return e.addr // want `unsynchronized read of e.addr: \(\*Endpoint\).Addr reads it without e.mu, which \(\*Endpoint\).Rebind writes holding it`
}
