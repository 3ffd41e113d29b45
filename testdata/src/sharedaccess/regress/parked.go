package regress

import (
	"math"
	"time"
)

// A callback parked on a timer that cannot fire before it is reset:
// what the maker writes after the Stop comes before the callback.
type parkedConn struct {
	timer   *time.Timer
	started chan struct{}
}

func (c *parkedConn) park() {
	c.timer = time.AfterFunc(time.Duration(math.MaxInt64), func() {
		c.started <- struct{}{}
	})
	c.timer.Stop()
	c.started = make(chan struct{})
}

// An armed timer: the callback may run at once, during the write.
type armedConn struct {
	timer   *time.Timer
	started chan struct{}
}

func (c *armedConn) arm() {
	c.timer = time.AfterFunc(time.Millisecond, func() {
		c.started <- struct{}{} // want `unsynchronized read of c.started`
	})
	c.started = make(chan struct{})
}
