package releaser // want package:`edges\(.*\)`

import "sync"

// A callee that lets go of its caller's lock, takes another, and takes
// the first back (nats-server's doTLSHandshake, called with c.mu held):
// the other lock is not taken under the first.

type Registry struct {
	mu    sync.Mutex
	conns []*Conn
}

type Conn struct {
	mu  sync.Mutex
	reg *Registry
	ok  bool
}

// handshakeLocked is called with c.mu held; it drops it around the
// registry update.
func (c *Conn) handshakeLocked() {
	c.mu.Unlock()
	c.reg.mu.Lock()
	c.reg.conns = append(c.reg.conns, c)
	c.reg.mu.Unlock()
	c.mu.Lock()
}

func (c *Conn) start() {
	c.mu.Lock()
	c.handshakeLocked()
	c.ok = true
	c.mu.Unlock()
}

// each takes every connection's lock under the registry's.
func (r *Registry) each() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.conns {
		c.mu.Lock()
		c.ok = false
		c.mu.Unlock()
	}
}

// The same without letting go: the registry's lock is taken under the
// connection's, against each's order.

type Hub2 struct {
	mu    sync.Mutex
	conns []*Conn2
}

type Conn2 struct {
	mu  sync.Mutex
	hub *Hub2
	ok  bool
}

func (c *Conn2) registerLocked() {
	c.hub.mu.Lock()
	c.hub.conns = append(c.hub.conns, c)
	c.hub.mu.Unlock()
}

func (c *Conn2) start() {
	c.mu.Lock()
	c.registerLocked() // want `lock order inversion: Hub2.mu acquired while holding Conn2.mu \(via \(\*releaser.Conn2\).registerLocked\)`
	c.ok = true
	c.mu.Unlock()
}

func (h *Hub2) each() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.conns {
		c.mu.Lock()
		c.ok = false
		c.mu.Unlock()
	}
}
