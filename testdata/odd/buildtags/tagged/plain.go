//go:build !syncvetextra

package tagged

// Reset zeroes c.n, then calls Inc after releasing c.mu.
func (c *Cache) Reset() {
	c.mu.Lock()
	c.n = 0
	c.mu.Unlock()
	c.Inc()
}
