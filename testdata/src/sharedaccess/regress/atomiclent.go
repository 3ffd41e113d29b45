package regress

import (
	"sync"
	"sync/atomic"
)

// A progress counter that listeners add to atomically: a local counter
// lent to a transfer that has returned may be reset plainly for the
// next; one handed to a goroutine that still runs may not.

type alListener interface{ changed(n int64) }

type alCounter struct{ total int64 }

func (c *alCounter) changed(n int64) { atomic.AddInt64(&c.total, n) } // want `unsynchronized write to c.total: the goroutine running alResetEarly.func1 writes c.total, which alResetEarly writes after the go statement`

func alTransfer(parts []int64, l alListener) {
	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.changed(p)
		}()
	}
	wg.Wait()
}

// GOOD: the transfer joined its workers before returning.
func AlTwoTransfers() (int64, int64) {
	c := alCounter{}
	alTransfer([]int64{1, 2, 3}, &c)
	first := atomic.LoadInt64(&c.total)
	c.total = 0
	alTransfer([]int64{4, 5}, &c)
	return first, atomic.LoadInt64(&c.total)
}

// BAD: the counter is reset while the goroutine that adds to it may
// still run (reported where the goroutine adds).
func alResetEarly(parts []int64) int64 {
	c := &alCounter{}
	done := make(chan struct{})
	go func() {
		alTransfer(parts, c)
		close(done)
	}()
	c.total = 0
	<-done
	return atomic.LoadInt64(&c.total)
}
