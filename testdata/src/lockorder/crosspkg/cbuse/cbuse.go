package cbuse // want package:`edges\(\(\*cbuse.Balancer\).mu->\(\*cbconn.Conn\).mu, \(\*cbconn.Conn\).mu->\(\*cbuse.Balancer\).mu, \(\*cbconn.Conn\).mu->\(\*cbuse.Counter\).mu\)`

import (
	"sync"

	"lockorder/crosspkg/cbconn"
)

// Balancer's callback takes b.mu while the Conn holds its lock, and
// Pick asks each Conn for its state while holding b.mu.
type Balancer struct {
	mu    sync.Mutex
	conns []*cbconn.Conn
	ready int
}

func NewBalancer(cs []*cbconn.Conn) *Balancer {
	b := &Balancer{conns: cs}
	for _, c := range cs {
		c.OnStateChange = b.handleStateChange
	}
	return b
}

func (b *Balancer) handleStateChange(c *cbconn.Conn, s cbconn.State) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.ready++
}

func (b *Balancer) Pick() *cbconn.Conn {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, c := range b.conns {
		if c.State() == 1 { // want `lock order inversion: Conn.mu acquired while holding Balancer.mu \(via \(\*cbconn.Conn\).State\); \(\*Balancer\).handleStateChange acquires them in the other order`
			return c
		}
	}
	return nil
}

// Counter's callback takes only its own lock,
// and nothing of Counter holds its lock while calling into a Conn.
type Counter struct {
	mu sync.Mutex
	n  int
}

func Watch(c *cbconn.Conn) *Counter {
	k := &Counter{}
	c.OnStateChange = k.changed
	return k
}

func (k *Counter) changed(c *cbconn.Conn, s cbconn.State) {
	k.mu.Lock()
	k.n++
	k.mu.Unlock()
}

func (k *Counter) Count() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.n
}
