package regress

import "log"

// A writer loop acts only on what it is sent: when its starter sends it
// nothing, the loop's accesses do not run.
type client struct {
	outbound chan []byte
	done     chan struct{}
	id       string
	logger   *log.Logger
}

func (c *client) writeLoop() {
	for {
		select {
		case pk := <-c.outbound:
			c.logger.Printf("%s: %d bytes", c.id, len(pk)) // want `unsynchronized read of c\.id: the goroutine running \(\*client\)\.writeLoop reads c\.id, which configureBusy writes after calling newLoopClient`
		case <-c.done:
			return
		}
	}
}

func newLoopClient() *client {
	c := &client{outbound: make(chan []byte), done: make(chan struct{})}
	go c.writeLoop()
	return c
}

// GOOD: nothing is sent to the loop after the fields are set.
func configureIdle() *client {
	c := newLoopClient()
	c.id = "idle"
	c.logger = log.Default()
	return c
}

// BAD: a goroutine sends the loop a packet while the fields change.
func configureBusy() *client {
	c := newLoopClient()
	go func() { c.outbound <- []byte("hello") }()
	c.id = "busy"
	return c
}
