package races

import (
	"sync"
	"sync/atomic"
)

// BadCache counts its hits in Get while holding only the read lock.
// Readers share an RLock, so concurrent Gets write hits together.
type BadCache struct {
	mu    sync.RWMutex
	items map[string]string
	hits  int
}

// NewBadCache returns an empty cache.
func NewBadCache() *BadCache { return &BadCache{items: make(map[string]string)} }

// Get returns the value cached for key.
func (c *BadCache) Get(key string) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.items[key]
	if ok {
		c.hits++ // race: BadCache
	}
	return v, ok
}

// Put caches value for key.
func (c *BadCache) Put(key, value string) {
	c.mu.Lock()
	c.items[key] = value
	c.mu.Unlock()
}

// Hits returns how many Gets found their key.
func (c *BadCache) Hits() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.hits
}

// GoodCacheAtomicHits keeps the read lock for the map, which Get only
// reads, and counts hits in an atomic that needs no lock.
type GoodCacheAtomicHits struct {
	mu    sync.RWMutex
	items map[string]string
	hits  atomic.Int64
}

// NewGoodCacheAtomicHits returns an empty cache.
func NewGoodCacheAtomicHits() *GoodCacheAtomicHits {
	return &GoodCacheAtomicHits{items: make(map[string]string)}
}

// Get returns the value cached for key.
func (c *GoodCacheAtomicHits) Get(key string) (string, bool) {
	c.mu.RLock()
	v, ok := c.items[key]
	c.mu.RUnlock()
	if ok {
		c.hits.Add(1)
	}
	return v, ok
}

// Put caches value for key.
func (c *GoodCacheAtomicHits) Put(key, value string) {
	c.mu.Lock()
	c.items[key] = value
	c.mu.Unlock()
}

// Hits returns how many Gets found their key.
func (c *GoodCacheAtomicHits) Hits() int { return int(c.hits.Load()) }

// GoodCacheMutex takes the write lock in Get, since Get writes.
type GoodCacheMutex struct {
	mu    sync.Mutex
	items map[string]string
	hits  int
}

// NewGoodCacheMutex returns an empty cache.
func NewGoodCacheMutex() *GoodCacheMutex {
	return &GoodCacheMutex{items: make(map[string]string)}
}

// Get returns the value cached for key.
func (c *GoodCacheMutex) Get(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.items[key]
	if ok {
		c.hits++
	}
	return v, ok
}

// Put caches value for key.
func (c *GoodCacheMutex) Put(key, value string) {
	c.mu.Lock()
	c.items[key] = value
	c.mu.Unlock()
}

// Hits returns how many Gets found their key.
func (c *GoodCacheMutex) Hits() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits
}
