package gates // want package:`edges\(.*\)`

import "sync"

// A connection set up under its own lock before it is registered: no
// other goroutine can hold or wait for that lock yet, so the order it
// takes under it (conn, then the server's) cannot close a cycle with
// the server's order (server, then each registered conn).

type Server struct {
	mu    sync.Mutex
	opts  int
	conns []*SConn
}

type SConn struct {
	mu   sync.Mutex
	opts int
	srv  *Server
}

func (c *SConn) init() { c.opts = 1 }

// newConn reads the server's options under the fresh connection's lock,
// then registers it.
func (s *Server) newConn() *SConn {
	c := &SConn{srv: s}
	c.mu.Lock()
	c.init()
	s.mu.Lock()
	c.opts = s.opts
	s.mu.Unlock()
	c.mu.Unlock()
	s.register(c)
	return c
}

func (s *Server) register(c *SConn) {
	s.mu.Lock()
	s.conns = append(s.conns, c)
	s.mu.Unlock()
}

// broadcast takes each registered connection's lock under the server's.
func (s *Server) broadcast() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		c.mu.Lock()
		c.opts++
		c.mu.Unlock()
	}
}

// The same shape, registered first: now the order conn, then server,
// can meet broadcast's.

type Hub struct {
	mu    sync.Mutex
	opts  int
	conns []*HConn
}

type HConn struct {
	mu   sync.Mutex
	opts int
}

func (h *Hub) newConn() *HConn {
	c := &HConn{}
	h.register(c)
	c.mu.Lock()
	h.mu.Lock() // want `lock order inversion: Hub.mu acquired while holding HConn.mu`
	c.opts = h.opts
	h.mu.Unlock()
	c.mu.Unlock()
	return c
}

func (h *Hub) register(c *HConn) {
	h.mu.Lock()
	h.conns = append(h.conns, c)
	h.mu.Unlock()
}

func (h *Hub) broadcast() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.conns {
		c.mu.Lock()
		c.opts++
		c.mu.Unlock()
	}
}
