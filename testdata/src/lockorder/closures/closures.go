package closures // want package:`edges\(\(\*closures.Pool\).mu->\(\*closures.Conn\).mu, \(\*closures.Conn\).mu->\(\*closures.Pool\).mu, \(\*closures.Conn2\).mu->\(\*closures.Pool2\).mu\)`

import "sync"

type Conn struct {
	mu sync.Mutex
	n  int
}

type Pool struct {
	mu    sync.Mutex
	conns []*Conn
}

// A closure called in place takes Conn.mu while Pool.mu is held.
func (p *Pool) Each(f func(*Conn)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			f(c)
		}() // want `lock order inversion: Conn.mu acquired while holding Pool.mu \(via \(\*closures.Pool\).Each.func1\); \(\*Conn\).Close acquires them in the other order`
	}
}

func (c *Conn) Close(p *Pool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	done := func() {
		p.mu.Lock()
		p.conns = nil
		p.mu.Unlock()
	}
	done()
}

// Double lock through a deferred-release closure used as a helper.
func (c *Conn) Twice() {
	lock := func() { c.mu.Lock() }
	lock()
	defer c.mu.Unlock()
	lock() // want `double lock: \(\*closures.Conn\).Twice.func1 locks c.mu while it is already held`
}

// A goroutine's locks are not held by its spawner: clean.
func (c *Conn) Spawn() {
	c.mu.Lock()
	defer c.mu.Unlock()
	go func() {
		c.mu.Lock()
		c.n++
		c.mu.Unlock()
	}()
}

// Clean twin of Each: the callback runs after Pool.mu is released.
type Pool2 struct {
	mu    sync.Mutex
	conns []*Conn2
}

type Conn2 struct{ mu sync.Mutex }

func (p *Pool2) Each(f func(*Conn2)) {
	p.mu.Lock()
	conns := append([]*Conn2(nil), p.conns...)
	p.mu.Unlock()
	for _, c := range conns {
		func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			f(c)
		}()
	}
}

func (c *Conn2) Close(p *Pool2) {
	c.mu.Lock()
	defer c.mu.Unlock()
	func() {
		p.mu.Lock()
		p.conns = nil
		p.mu.Unlock()
	}()
}
