// Package cache is the fixture for syncvet -fix and go vet -fix: overlock
// offers to unlock before an early return.
package cache

import (
	"errors"
	"sync"
)

var errMissing = errors.New("missing")

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

// Reviewed is left alone: the directive silences the finding, and with it
// the fix.
//
//syncvet:ignore overlock the caller unlocks on errMissing
func (c *Cache) Reviewed(k string) (int, error) {
	c.mu.Lock()
	v, ok := c.m[k]
	if !ok {
		return 0, errMissing
	}
	c.mu.Unlock()
	return v, nil
}
