package gates

// Lock cycles two of whose edges run under one outer lock (a gate): the
// goroutines at those edges exclude each other, so the cycle cannot
// close. A gate held for reading excludes no reader.

import "sync"

type Conn struct {
	destructorM sync.Mutex
	closeM      sync.Mutex
	m           sync.Mutex
	chans       []*Chan
}

type Chan struct {
	m    sync.Mutex
	conn *Conn
}

// shutdown takes each channel's lock under the connection's, behind
// destructorM.
func (c *Conn) shutdown() {
	c.destructorM.Lock()
	defer c.destructorM.Unlock()
	c.m.Lock()
	defer c.m.Unlock()
	for _, ch := range c.chans {
		ch.m.Lock()
		ch.m.Unlock()
	}
}

// close asks the connection under the channel's lock.
func (ch *Chan) close() bool {
	ch.m.Lock()
	defer ch.m.Unlock()
	ch.conn.closeM.Lock()
	defer ch.conn.closeM.Unlock()
	return true
}

// reconnect takes closeM before m, behind destructorM as shutdown does:
// shutdown and reconnect never run at once, so Conn.m → Chan.m →
// Conn.closeM → Conn.m cannot deadlock.
func (c *Conn) reconnect() {
	c.destructorM.Lock()
	defer c.destructorM.Unlock()
	c.closeM.Lock()
	defer c.closeM.Unlock()
	c.m.Lock()
	defer c.m.Unlock()
}

// The same shape with a gate held for reading: shutdown and reconnect
// both hold it at once, and the cycle can close.

type RConn struct {
	gate   sync.RWMutex
	closeM sync.Mutex
	m      sync.Mutex
	chans  []*RChan
}

type RChan struct {
	m    sync.Mutex
	conn *RConn
}

func (c *RConn) shutdown() {
	c.gate.RLock()
	defer c.gate.RUnlock()
	c.m.Lock()
	defer c.m.Unlock()
	for _, ch := range c.chans {
		ch.m.Lock() // want `lock order cycle`
		ch.m.Unlock()
	}
}

func (ch *RChan) close() bool {
	ch.m.Lock()
	defer ch.m.Unlock()
	ch.conn.closeM.Lock()
	defer ch.conn.closeM.Unlock()
	return true
}

func (c *RConn) reconnect() {
	c.gate.RLock()
	defer c.gate.RUnlock()
	c.closeM.Lock()
	defer c.closeM.Unlock()
	c.m.Lock()
	defer c.m.Unlock()
}
