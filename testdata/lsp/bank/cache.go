package bank

import (
	"errors"
	"sync"
)

var errMissing = errors.New("missing")

// Cache returns early holding its lock: overlock reports the return and
// offers to unlock before it, the code action the tests apply.
type Cache struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *Cache) Get(k string) (int, error) {
	c.mu.Lock()
	v, ok := c.m[k]
	if !ok {
		return 0, errMissing
	}
	c.mu.Unlock()
	return v, nil
}
