package dynamic

import "sync"

// Callbacks kept in a slice or a map field and run under the owner's
// lock: each callback's own locks are taken in that order.

type Stopper struct {
	mu       sync.Mutex
	stopping bool
	closers  []func()
	named    map[string]func()
}

func (s *Stopper) AddCloser(f func()) {
	s.mu.Lock()
	s.closers = append(s.closers, f)
	s.mu.Unlock()
}

func (s *Stopper) Name(n string, f func()) {
	s.mu.Lock()
	s.named[n] = f
	s.mu.Unlock()
}

func (s *Stopper) Stopping() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopping
}

// Stop runs the closers holding s.mu: Stopper.mu, then Conn.mu.
func (s *Stopper) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopping = true
	for _, f := range s.closers {
		f() // want `lock order inversion: Conn.mu acquired while holding Stopper.mu \(via \(\*dynamic.Conn\).close\); \(\*Conn\).Send acquires them in the other order`
	}
}

// Drain runs the named callbacks holding s.mu.
func (s *Stopper) Drain() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.named {
		f() // want `lock order inversion: Pipe.mu acquired while holding Stopper.mu \(via \(\*dynamic.Pipe\).flush\); \(\*Pipe\).Write acquires them in the other order`
	}
}

type Conn struct {
	mu      sync.Mutex
	open    bool
	stopper *Stopper
}

func NewConn(s *Stopper) *Conn {
	c := &Conn{open: true, stopper: s}
	s.AddCloser(c.close)
	return c
}

func (c *Conn) close() {
	c.mu.Lock()
	c.open = false
	c.mu.Unlock()
}

// Send holds Conn.mu, then asks the stopper: the other order.
func (c *Conn) Send() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.open && !c.stopper.Stopping()
}

type Pipe struct {
	mu      sync.Mutex
	buf     []byte
	stopper *Stopper
}

func NewPipe(s *Stopper) *Pipe {
	p := &Pipe{stopper: s}
	s.Name("pipe", p.flush)
	return p
}

func (p *Pipe) flush() {
	p.mu.Lock()
	p.buf = p.buf[:0]
	p.mu.Unlock()
}

func (p *Pipe) Write(b []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.stopper.Stopping() {
		p.buf = append(p.buf, b...)
	}
}

// A good twin: the closers are copied out under the lock and run after
// it is released.
type SafeStopper struct {
	mu       sync.Mutex
	stopping bool
	closers  []func()
}

func (s *SafeStopper) AddCloser(f func()) {
	s.mu.Lock()
	s.closers = append(s.closers, f)
	s.mu.Unlock()
}

func (s *SafeStopper) Stopping() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopping
}

func (s *SafeStopper) Stop() {
	s.mu.Lock()
	s.stopping = true
	fs := s.closers
	s.mu.Unlock()
	for _, f := range fs {
		f()
	}
}

type SafeConn struct {
	mu      sync.Mutex
	open    bool
	stopper *SafeStopper
}

func NewSafeConn(s *SafeStopper) *SafeConn {
	c := &SafeConn{open: true, stopper: s}
	s.AddCloser(c.close)
	return c
}

func (c *SafeConn) close() {
	c.mu.Lock()
	c.open = false
	c.mu.Unlock()
}

func (c *SafeConn) Send() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.open && !c.stopper.Stopping()
}
