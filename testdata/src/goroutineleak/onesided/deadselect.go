package onesided

type dsWaiter struct {
	stop  chan struct{}
	ready chan int
	feed  chan int
}

func newDSWaiter() *dsWaiter {
	return &dsWaiter{stop: make(chan struct{}), ready: make(chan int), feed: make(chan int)}
}

// Wait has no case that can ever fire.
func (w *dsWaiter) Wait() int {
	select { // want `goroutine leak: the select blocks for ever: no code sends on or closes stop or ready`
	case <-w.stop:
		return 0
	case v := <-w.ready:
		return v
	}
}

// WaitFeed can take feed, which Push serves.
func (w *dsWaiter) WaitFeed() int {
	select {
	case <-w.stop:
		return 0
	case v := <-w.feed:
		return v
	}
}

func (w *dsWaiter) Push(v int) { w.feed <- v }
