package freshctor // want package:`edges\(\(\*freshctor.client\).mu->\(\*freshctor.cfg\).mu, \(\*freshctor.cfg\).mu->\(\*freshctor.client\).mu\)`

import "sync"

// A constructor with a defer returns through a result slot: its result
// is still an object no one else holds, and a setter called on it while
// the parent's locks are held orders nothing. Clean.

type cfg struct {
	mu      sync.RWMutex
	retries int
}

type client struct {
	mu      sync.RWMutex
	config  *cfg
	headers map[string]string
}

func newClient(c *cfg) *client {
	c.mu.Lock()
	defer c.mu.Unlock()
	return &client{config: c, headers: map[string]string{}}
}

func (c *client) setRetries(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.config.mu.Lock() // want `lock order inversion: cfg.mu acquired while holding client.mu; \(\*client\).copyInto acquires them in the other order`
	defer c.config.mu.Unlock()
	c.config.retries = n
}

func (c *client) setHeaders(h map[string]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.headers = h
}

func (c *client) clone() *client {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.config.mu.RLock()
	defer c.config.mu.RUnlock()
	nc := newClient(&cfg{retries: c.config.retries})
	nc.setHeaders(map[string]string{})
	return nc
}

// The same setter called on a client another goroutine may hold: the
// order cfg.mu then client.mu is real, against setRetries, and the cycle
// is reported once, at setRetries.
func (c *client) copyInto(other *client) {
	c.config.mu.Lock()
	defer c.config.mu.Unlock()
	other.setHeaders(c.headers)
}
