package overlock

import (
	"sync"
	"time"
)

// BadClient retries a failed call after a backoff, sleeping with mu
// held: every other use of the client waits out the backoff too.
type BadClient struct {
	mu       sync.Mutex
	Backoff  time.Duration
	attempts int
}

// Do calls op, retrying once after Backoff if it fails.
func (c *BadClient) Do(op func() error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.attempts++
	if err := op(); err == nil {
		return nil
	}
	time.Sleep(c.Backoff)
	c.attempts++
	return op()
}

// Attempts returns how many times Do called op.
func (c *BadClient) Attempts() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.attempts
}

// GoodClient holds mu only to count attempts; it sleeps unlocked.
type GoodClient struct {
	mu       sync.Mutex
	Backoff  time.Duration
	attempts int
}

func (c *GoodClient) attempt(op func() error) error {
	c.mu.Lock()
	c.attempts++
	c.mu.Unlock()
	return op()
}

// Do calls op, retrying once after Backoff if it fails.
func (c *GoodClient) Do(op func() error) error {
	if err := c.attempt(op); err == nil {
		return nil
	}
	time.Sleep(c.Backoff)
	return c.attempt(op)
}

// Attempts returns how many times Do called op.
func (c *GoodClient) Attempts() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.attempts
}
