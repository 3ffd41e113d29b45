// Package handoff: a lock taken by a function and released by the
// goroutine it starts belongs to that goroutine from the go statement on.
package handoff

import "sync"

type Conn struct {
	mu  sync.Mutex
	msg int
}

// signal locks mu and hands it to the goroutine, which unlocks it when
// the message is in.
func (c *Conn) signal() chan struct{} {
	ch := make(chan struct{})
	c.mu.Lock()
	go func() {
		c.msg = 1
		c.mu.Unlock()
		close(ch)
	}()
	return ch
}

// goodPeek waits for the goroutine, then locks: no double lock.
func (c *Conn) goodPeek() int {
	<-c.signal()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.msg
}

// badKeep starts a goroutine that does not unlock: mu is still held.
func (c *Conn) badKeep() int {
	c.mu.Lock()
	go func() { println(c) }()
	c.mu.Lock() // want `double lock: c.mu locked while already held`
	defer c.mu.Unlock()
	return c.msg
}
