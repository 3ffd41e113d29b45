package copylocks

import "sync"

type Counter struct {
	mu sync.Mutex
	n  int
}

func badValueReceiver(c Counter) int { // want `badValueReceiver passes lock by value`
	return c.n
}

func goodPointer(c *Counter) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
