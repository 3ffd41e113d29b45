package sinkuse

import (
	"sync"

	"overlock/crosspkg/sinkfw"
)

type gauge int

func (g gauge) Value() int { return int(g) }

// collector implements sinkfw.Collector: the framework that calls
// Collect receives as it sends, and needs none of this package's locks.
type collector struct {
	mu      sync.Mutex
	clients []int
}

func (c *collector) Describe(ch chan<- string) { ch <- "clients" }

func (c *collector) Collect(ch chan<- sinkfw.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, v := range c.clients {
		ch <- gauge(v)
	}
}

func (c *collector) Register(v int) {
	c.mu.Lock()
	c.clients = append(c.clients, v)
	c.mu.Unlock()
}

// Export is no framework method: its caller may wait for the lock.
func (c *collector) Export(ch chan<- int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, v := range c.clients {
		ch <- v // want `c.mu held across blocking send on ch`
	}
}
