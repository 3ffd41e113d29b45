package basic

import "sync"

// Views counts lookups while holding only the read lock, and Count reads
// the count under the same read lock: the RWMutex is the field's only
// guard, and readers hold it together.
type Views struct {
	mu    sync.RWMutex
	pages map[string]string
	views int
}

func (v *Views) Lookup(k string) string { // want Lookup:`accesses\(.*w 0.views \[\(\*basic.Views\).mu\]`
	v.mu.RLock()
	defer v.mu.RUnlock()
	v.views++ // want `unsynchronized write to v.views: \(\*Views\).Lookup writes it holding only the read lock v.mu`
	return v.pages[k]
}

func (v *Views) Count() int { // want Count:`accesses\(r 0.views \[\(\*basic.Views\).mu\]\)`
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.views
}

// Cursor holds closeMu's read side only to keep Close from running
// during a scan; the cursor itself belongs to one goroutine, and its
// other accesses take no lock, so the read lock is not pos's guard.
type Cursor struct {
	closeMu sync.RWMutex
	pos     int
	closed  bool
}

func (c *Cursor) Advance() { // want Advance:`accesses\(w 0.pos \[\(\*basic.Cursor\).closeMu\]; r 0.pos \[\(\*basic.Cursor\).closeMu\]\)`
	c.closeMu.RLock()
	c.pos++
	c.closeMu.RUnlock()
}

func (c *Cursor) Reset() { c.pos = 0 } // want Reset:`accesses\(w 0.pos\)`

func (c *Cursor) Close() { // want Close:`accesses\(w 0.closed \[\(\*basic.Cursor\).closeMu\]\)`
	c.closeMu.Lock()
	c.closed = true
	c.closeMu.Unlock()
}
