// Package main has no external test package, so nothing can import it:
// lockset exports no Summary here (analysistest fails on an unexpected
// fact), though it computes one for Lock and uses it in the package.
package main

import "sync"

type C struct{ mu sync.Mutex }

func Lock(c *C) { c.mu.Lock() }

func main() {
	c := &C{}
	Lock(c)
	c.mu.Unlock()
}
