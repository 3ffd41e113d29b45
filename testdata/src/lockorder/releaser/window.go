package releaser

import "sync"

// A helper that unlocks its caller's lock around work that takes
// another, reached through wrappers that skip it on some paths: no
// order between the two locks.
type server struct {
	mu      sync.Mutex
	clients map[*client]bool
}

type client struct {
	mu  sync.Mutex
	srv *server
	ok  bool
}

func (c *client) closeConnection() {
	c.srv.mu.Lock()
	delete(c.srv.clients, c)
	c.srv.mu.Unlock()
}

// doHandshake is called with c.mu held and releases it while it works.
func (c *client) doHandshake() {
	c.mu.Unlock()
	if !c.ok {
		c.closeConnection()
	}
	c.mu.Lock()
}

func (c *client) handshakeIfNeeded() {
	if c.ok {
		return
	}
	c.doHandshake()
}

func (c *client) solicit() {
	c.handshakeIfNeeded()
	c.ok = true
}

func (s *server) add(c *client) {
	c.mu.Lock()
	c.solicit()
	c.mu.Unlock()
}

func (s *server) broadcast() {
	s.mu.Lock()
	for c := range s.clients {
		c.mu.Lock()
		c.ok = false
		c.mu.Unlock()
	}
	s.mu.Unlock()
}

// The same wrappers around a helper that keeps the caller's lock.
type hub struct {
	mu    sync.Mutex
	peers map[*peer]bool
}

type peer struct {
	mu  sync.Mutex
	hub *hub
	ok  bool
}

func (p *peer) drop() {
	p.hub.mu.Lock()
	delete(p.hub.peers, p)
	p.hub.mu.Unlock()
}

func (p *peer) checkIfNeeded() {
	if p.ok {
		return
	}
	p.drop()
}

func (h *hub) add(p *peer) {
	p.mu.Lock()
	p.checkIfNeeded() // want `lock order inversion: hub.mu acquired while holding peer.mu \(via \(\*releaser.peer\).checkIfNeeded → \(\*releaser.peer\).drop\)`
	p.mu.Unlock()
}

func (h *hub) broadcast() {
	h.mu.Lock()
	for p := range h.peers {
		p.mu.Lock()
		p.ok = false
		p.mu.Unlock()
	}
	h.mu.Unlock()
}
