//go:build syncvetextra

package tagged

// Reset zeroes c.n holding c.mu, then calls Inc, which locks c.mu again:
// a self-deadlock, in builds with the syncvetextra tag only.
func (c *Cache) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n = 0
	c.Inc()
}
