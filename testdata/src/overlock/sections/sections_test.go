package sections

import (
	"sync"
	"testing"
)

// stallConn is a test double whose writes wait on a lock that the test
// holds to stall the code under test.
type stallConn struct {
	block sync.Mutex
	data  chan []byte
}

func (c *stallConn) Write(b []byte) (int, error) {
	c.block.Lock()
	defer c.block.Unlock()
	c.data <- b // want `c.block held across blocking send on c.data; in a test$`
	return len(b), nil
}

var pause sync.Mutex

// TestStall holds test-only locks across its own blocking work on
// purpose; the method above, like a reduced bug kernel, is checked.
func TestStall(t *testing.T) {
	c := &stallConn{data: make(chan []byte)}
	c.block.Lock()
	errs := make(chan error)
	go func() { _, err := c.Write(nil); errs <- err }()
	<-c.data
	c.block.Unlock()

	pause.Lock()
	<-errs
	pause.Unlock()

	var local sync.Mutex
	local.Lock()
	<-errs
	local.Unlock()
}

// TestProductionLock holds the package's own lock across a receive: a
// test can deadlock on it like any caller.
func TestProductionLock(t *testing.T) {
	p := &Pump{out: make(chan int), ack: make(chan bool)}
	p.mu.Lock()
	<-p.out // want `p.mu held across blocking receive from p.out; in a test$`
	p.mu.Unlock()
}
