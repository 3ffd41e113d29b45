package guards

import "sync"

// WireConn keeps its last error under mu; Encoded wraps a WireConn in a named
// field and offers the error too.
type WireConn struct {
	mu  sync.Mutex
	err error // want err:`guarded\(mu\)`
}

func (c *WireConn) fail(err error) {
	c.mu.Lock()
	c.err = err
	c.mu.Unlock()
}

func (c *WireConn) reset() {
	c.mu.Lock()
	c.err = nil
	c.mu.Unlock()
}

func (c *WireConn) LastError() error { // want LastError:`accesses\(r 0\.err \[\(\*guards\.WireConn\)\.mu\]\)`
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

type Encoded struct {
	Wire *WireConn
	kind string
}

// LastError reads the wrapped connection's error without its lock: a
// race through another object. It is reported because it is the
// package's only access without the lock, in a method of the API; an
// object that other code also reaches without its lock (a transaction
// that holds the database's lock from Begin to Commit, a restart that
// stops the reader before it writes) is left alone.
func (e *Encoded) LastError() error { // want LastError:`accesses\(r 0\.Wire; r 0\.Wire\.err\)`
	return e.Wire.err // want `unsynchronized read of e.Wire.err: \(\*Encoded\).LastError reads it without e.Wire.mu, which \(\*WireConn\).fail writes holding it`
}

// LastErrorLocked goes through the connection's own method.
func (e *Encoded) LastErrorLocked() error { // want LastErrorLocked:`accesses\(r 0\.Wire \[caller-held\]; r 0\.Wire\.err \[\(\*guards\.WireConn\)\.mu\]\)`
	return e.Wire.LastError()
}
