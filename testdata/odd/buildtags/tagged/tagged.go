// Package tagged has files that only some builds include: each finding
// must come from a file the build selects, and from no other.
package tagged

import "sync"

// Cache is guarded by mu.
type Cache struct {
	mu sync.Mutex
	n  int
}

// Inc adds one under the lock.
func (c *Cache) Inc() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}
