// Package main has an external test package, which may import it, so
// its Summaries are exported.
package main

import "sync"

type C struct{ mu sync.Mutex }

func Lock(c *C) { c.mu.Lock() } // want Lock:`acquires\(0.mu\)`

func main() { // want main:`takes\(class \(\*tested.C\).mu\)`
	c := &C{}
	go Lock(c)
	Lock(c)
	c.mu.Unlock()
}
