package leaks

import "sync"

// Store persists a key and its value, on disk, say.
type Store func(key, val string) error

// BadCache keeps values in memory and writes each one through to a
// store in the background. Set drops the channel that flush returns:
// the flushing goroutine's send on it has no receiver and blocks for
// ever, one goroutine per Set, and the write's error is lost.
type BadCache struct {
	mu    sync.Mutex
	vals  map[string]string
	store Store
}

// NewBadCache returns an empty cache that writes through to store.
func NewBadCache(store Store) *BadCache {
	return &BadCache{vals: make(map[string]string), store: store}
}

// flush writes key and val to the store on a new goroutine and returns
// the channel its error arrives on; the caller must receive from it.
func (c *BadCache) flush(key, val string) chan error {
	errc := make(chan error)
	go func() {
		errc <- c.store(key, val)
	}()
	return errc
}

// Set stores val under key and starts writing it through.
func (c *BadCache) Set(key, val string) {
	c.mu.Lock()
	c.vals[key] = val
	c.mu.Unlock()
	c.flush(key, val)
}

// GoodCache is BadCache whose Set receives the error flush sends, so
// the flushing goroutine always finds its receiver, and returns it.
type GoodCache struct {
	mu    sync.Mutex
	vals  map[string]string
	store Store
}

// NewGoodCache returns an empty cache that writes through to store.
func NewGoodCache(store Store) *GoodCache {
	return &GoodCache{vals: make(map[string]string), store: store}
}

// flush writes key and val to the store on a new goroutine and returns
// the channel its error arrives on; the caller must receive from it.
func (c *GoodCache) flush(key, val string) chan error {
	errc := make(chan error)
	go func() {
		errc <- c.store(key, val)
	}()
	return errc
}

// Set stores val under key and returns the store's error.
func (c *GoodCache) Set(key, val string) error {
	c.mu.Lock()
	c.vals[key] = val
	c.mu.Unlock()
	return <-c.flush(key, val)
}
