package regress

// A goroutine calls a helper whose deferred call runs as the helper
// returns, before the goroutine's next statement: work's deferred reset
// of n comes before the close of done, which readLate waits for.
type lateCounter struct{ n int }

func (c *lateCounter) work() {
	defer func() { c.n = 0 }()
	c.n = 1
}

func goodLateDefer() int {
	c := &lateCounter{}
	done := make(chan struct{})
	go func() {
		c.work()
		close(done)
	}()
	<-done
	return c.n // ok: work's deferred write ran before the close
}

// The helper's deferred close runs as the helper returns: the write the
// goroutine makes after the call is not ordered before the receive.
func (c *lateCounter) finish(done chan struct{}) {
	defer close(done)
	c.n = 1
}

func badAfterLateClose() int {
	c := &lateCounter{}
	done := make(chan struct{})
	go func() {
		c.finish(done)
		c.n = 2 // want `unsynchronized write to c.n: the goroutine running badAfterLateClose.func1 writes c.n, which badAfterLateClose reads after the go statement`
	}()
	<-done
	return c.n
}
