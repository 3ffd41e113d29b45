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
// race, but through another object, which this check leaves alone (too
// often such an object is ordered or locked by other means: a
// transaction that holds the database's lock from Begin to Commit, a
// restart that stops the reader before it writes).
func (e *Encoded) LastError() error { // want LastError:`accesses\(r 0\.Wire; r 0\.Wire\.err\)`
	return e.Wire.err
}

// LastErrorLocked goes through the connection's own method.
func (e *Encoded) LastErrorLocked() error { // want LastErrorLocked:`accesses\(r 0\.Wire \[caller-held\]; r 0\.Wire\.err \[\(\*guards\.WireConn\)\.mu\]\)`
	return e.Wire.LastError()
}
