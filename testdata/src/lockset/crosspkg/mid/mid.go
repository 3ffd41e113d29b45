package mid

import "lockset/crosspkg/lib"

type Cache struct {
	Store *lib.Store
}

func New() *Cache { return &Cache{Store: new(lib.Store)} }

func (c *Cache) Hold() { // want Hold:`acquires\(0.Store.mu\)`
	c.Store.Lock()
}

func (c *Cache) Lookup(k string) int { // want Lookup:`takes\(0.Store.mu\)$`
	return c.Store.Get(k)
}
