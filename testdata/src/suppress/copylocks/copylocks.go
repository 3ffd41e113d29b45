// Package copylocks checks //syncvet:ignore on a real bundled check.
package copylocks

import "sync"

type Counter struct {
	mu sync.Mutex
	n  int
}

func badValueReceiver(c Counter) int { // want `badValueReceiver passes lock by value`
	return c.n
}

func silencedOnTheLine(c Counter) int { //syncvet:ignore copylocks c is a fresh snapshot nobody locks
	return c.n
}

// silencedByDoc takes a snapshot made under the lock.
//
//syncvet:ignore copylocks the snapshot's mutex is never used
func silencedByDoc(c Counter) int {
	d := c
	return d.n
}

// want +2 `suppression of copylocks gives no reason`
//
//syncvet:ignore copylocks
func noReason(c Counter) int { // want `noReason passes lock by value`
	return c.n
}

func otherCheck(c Counter) int { //syncvet:ignore SA2001 names another check // want `otherCheck passes lock by value`
	return c.n
}

func goodPointer(c *Counter) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
