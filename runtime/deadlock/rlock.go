package deadlock

import "sync"

// BadConfig reads under an RWMutex, and Lookup calls Get, which takes
// the read lock again while Lookup holds it. Alone that works; but once
// a writer calls Set between the two RLocks, the second RLock waits for
// the writer (pending writers block new readers) and the writer waits
// for the first RLock to be released: a deadlock.
type BadConfig struct {
	mu     sync.RWMutex
	values map[string]string
}

// NewBadConfig returns an empty configuration.
func NewBadConfig() *BadConfig { return &BadConfig{values: make(map[string]string)} }

// Get returns the value of key.
func (c *BadConfig) Get(key string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.values[key]
}

// Lookup returns the value of key, or def when key is unset.
func (c *BadConfig) Lookup(key, def string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if _, ok := c.values[key]; !ok {
		return def
	}
	return c.Get(key)
}

// Set sets key to value.
func (c *BadConfig) Set(key, value string) {
	c.mu.Lock()
	c.values[key] = value
	c.mu.Unlock()
}

// GoodConfig takes the read lock once per call: Lookup reads the map
// directly instead of calling Get.
type GoodConfig struct {
	mu     sync.RWMutex
	values map[string]string
}

// NewGoodConfig returns an empty configuration.
func NewGoodConfig() *GoodConfig { return &GoodConfig{values: make(map[string]string)} }

// Get returns the value of key.
func (c *GoodConfig) Get(key string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.values[key]
}

// Lookup returns the value of key, or def when key is unset.
func (c *GoodConfig) Lookup(key, def string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if v, ok := c.values[key]; ok {
		return v
	}
	return def
}

// Set sets key to value.
func (c *GoodConfig) Set(key, value string) {
	c.mu.Lock()
	c.values[key] = value
	c.mu.Unlock()
}
