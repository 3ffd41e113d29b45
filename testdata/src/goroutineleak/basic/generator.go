package basic

import (
	"context"
	"time"
)

// BAD: the generator never stops, and the consumer leaves on ctx.
func generate(out chan<- int) {
	for i := 0; ; i++ {
		out <- i // want `goroutine leak: the send on ch blocks for ever once badGeneratorOnCtx stops receiving: it leaves its receive loop on another case of its select while the goroutine may still send`
	}
}

func badGeneratorOnCtx(ctx context.Context) int {
	ch := make(chan int)
	go generate(ch)
	sum := 0
	for {
		select {
		case <-ctx.Done():
			return sum
		case v := <-ch:
			sum += v
		}
	}
}

// BAD: the same with a literal and a timeout.
func badTickerOnTimeout() {
	ch := make(chan time.Time)
	go func() {
		for {
			ch <- time.Now() // want `goroutine leak: the send on ch blocks for ever once badTickerOnTimeout stops receiving`
		}
	}()
	deadline := time.After(time.Second)
	for {
		select {
		case <-deadline:
			return
		case <-ch:
		}
	}
}

// GOOD: the generator selects on the same ctx.
func generateCtx(ctx context.Context, out chan<- int) {
	for i := 0; ; i++ {
		select {
		case out <- i:
		case <-ctx.Done():
			return
		}
	}
}

func goodGeneratorOnCtx(ctx context.Context) int {
	ch := make(chan int)
	go generateCtx(ctx, ch)
	sum := 0
	for {
		select {
		case <-ctx.Done():
			return sum
		case v := <-ch:
			sum += v
		}
	}
}

// GOOD: the consumer leaves only after the last value the producer
// sends (a sentinel), not on a signal.
func goodSentinel(n int) int {
	ch := make(chan int)
	go func() {
		for i := n; i >= 0; i-- {
			ch <- i
		}
	}()
	sum := 0
	for {
		v := <-ch
		if v == 0 {
			return sum
		}
		sum += v
	}
}

// GOOD: a large buffer, and the producer watches the same ctx that the
// consumer cancels when it leaves.
func goodBufferedProducer(parent context.Context) int {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	errs := make(chan int, 1000)
	go func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				errs <- i
			}
		}
	}()
	n := 0
	for {
		select {
		case <-errs:
			n++
			if n > 10 {
				cancel()
				return n
			}
		case <-time.After(time.Second):
			cancel()
			return n
		}
	}
}
