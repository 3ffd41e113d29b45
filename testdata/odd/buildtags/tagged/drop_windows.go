package tagged

// Count returns c.n holding c.mu across a receive, on Windows only.
func Count(c *Cache, ready chan struct{}) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	<-ready
	return c.n
}
