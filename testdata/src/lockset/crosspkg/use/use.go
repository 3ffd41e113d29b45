package use

import "lockset/crosspkg/mid"

// use imports only mid; the lib summaries arrive two imports away.

func Hold(c *mid.Cache) { // want Hold:`acquires\(0.Store.mu\)`
	c.Hold()
}

func Direct(c *mid.Cache) { // want Direct:`takes\(0.Store.mu\)$`
	c.Store.Lock() // (*lib.Store).Lock, a method of a package use does not import
	c.Store.Unlock()
}

func Nested(c *mid.Cache) { // want Nested:`takes\(0.Store.mu\)$`
	c.Hold()
	c.Lookup("k") // double lock, for lockorder to see
	c.Store.Unlock()
}
