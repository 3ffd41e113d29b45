// Package chanclose: a close of a channel that may run while another
// goroutine sends on it or closes it too (either panics), beside the
// designs that order them: the only sender closes, the closer waits for
// the senders or takes their values first, a sync.Once, a lock held by
// both with a closed flag.
package chanclose

import (
	"sync"
	"sync/atomic"
)

func work(i int) int { return i }

// badCloseAfterFirst takes the first value and closes the channel that
// the other senders still send on.
func badCloseAfterFirst(n int) int {
	ch := make(chan int)
	for i := range n {
		go func() { ch <- work(i) }() // want `unsynchronized send on ch: the goroutine running badCloseAfterFirst.func1 sends on ch, which badCloseAfterFirst closes after the go statement`
	}
	v := <-ch
	close(ch)
	return v
}

// badEachCloses: every worker closes done when it finishes.
func badEachCloses() {
	done := make(chan struct{})
	for i := 0; i < 2; i++ {
		go func() {
			work(i)
			close(done) // want `unsynchronized close of done: goroutines running badEachCloses.func1 may run at once and each closes done; the second close panics`
		}()
	}
	<-done
}

// badCloseUnwaited closes without waiting for the sender.
func badCloseUnwaited() {
	ch := make(chan int, 1)
	go func() { ch <- 1 }() // want `unsynchronized send on ch: the goroutine running badCloseUnwaited.func1 sends on ch, which badCloseUnwaited closes after the go statement`
	close(ch)
}

// goodSenderCloses: the only sender closes after its sends.
func goodSenderCloses() int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := 0; i < 3; i++ {
			ch <- i
		}
	}()
	s := 0
	for v := range ch {
		s += v
	}
	return s
}

// goodCloseAfterWait closes once every sender is done.
func goodCloseAfterWait(n int) int {
	ch := make(chan int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); ch <- work(i) }()
	}
	wg.Wait()
	close(ch)
	s := 0
	for v := range ch {
		s += v
	}
	return s
}

// goodCloserGoroutine closes in a goroutine of its own after Wait.
func goodCloserGoroutine(n int) int {
	ch := make(chan int)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); ch <- work(i) }()
	}
	go func() { wg.Wait(); close(ch) }()
	s := 0
	for v := range ch {
		s += v
	}
	return s
}

// goodDrainedFirst takes every sender's value before it closes.
func goodDrainedFirst() int {
	ch := make(chan int)
	for i := 0; i < 3; i++ {
		go func() { ch <- work(i) }()
	}
	s := 0
	for range 3 {
		s += <-ch
	}
	close(ch)
	return s
}

type stopper struct {
	once sync.Once
	done chan struct{}
}

func (s *stopper) stop() { s.once.Do(func() { close(s.done) }) }

// goodOnce closes through a sync.Once from two goroutines.
func goodOnce() {
	s := &stopper{done: make(chan struct{})}
	go s.stop()
	go s.stop()
	<-s.done
}

type queue struct {
	mu     sync.Mutex
	closed bool // want closed:"guarded\\(mu\\)"
	ch     chan int
}

func (q *queue) put(v int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	select {
	case q.ch <- v:
	default:
	}
}

func (q *queue) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.closed {
		q.closed = true
		close(q.ch)
	}
}

// goodLocked sends and closes under one lock, with a closed flag.
func goodLocked() {
	q := &queue{ch: make(chan int, 1)}
	go q.put(1)
	go q.close()
}

// goodLastOut: the goroutine that counts last closes, after every other
// one has sent and counted.
func goodLastOut(n int32) chan int {
	ch := make(chan int, 8)
	var done atomic.Int32
	for i := range n {
		go func() {
			ch <- work(int(i))
			if done.Add(1) == n {
				close(ch)
			}
		}()
	}
	return ch
}

// badFirstCloses closes when the count reaches one: the first to count,
// not the last, while the others still send.
func badFirstCloses(n int) chan int {
	ch := make(chan int, 8)
	var mu sync.Mutex
	count := 0
	for i := range n {
		go func() {
			ch <- work(i)
			mu.Lock()
			count++
			first := count == 1
			mu.Unlock()
			if first {
				close(ch) // want `unsynchronized close of ch: goroutines running badFirstCloses.func1 may run at once; one closes ch while another sends on it`
			}
		}()
	}
	return ch
}

// goodWaitedReceivers: the senders' values are taken by other
// goroutines, which count them done; the closer waits for those.
func goodWaitedReceivers(n int) {
	var wg sync.WaitGroup
	ch := make(chan int, n)
	for range n {
		go func() {
			v := <-ch
			work(v)
			wg.Done()
		}()
	}
	for i := range n {
		wg.Add(1)
		go func() { ch <- work(i) }()
	}
	wg.Wait()
	close(ch)
}

type holder struct{ ch chan int }

// goodReceiverOfField: the goroutine loads the channel from the field
// to receive from it; the close is not a write of the field.
func goodReceiverOfField() {
	h := &holder{ch: make(chan int)}
	go func() {
		for range h.ch {
		}
	}()
	close(h.ch)
}

// goodCloseOnceCAS: whichever goroutine wins the compare-and-swap closes,
// once; nobody sends.
func goodCloseOnceCAS() chan struct{} {
	done := make(chan struct{})
	var closed atomic.Bool
	for range 2 {
		go func() {
			if closed.CompareAndSwap(false, true) {
				close(done)
			}
		}()
	}
	return done
}

// goodReusedVariable: the variable done gets a new channel for each
// goroutine, once the last one was closed; which channel it holds at
// each close is not followed.
func goodReusedVariable(sink chan string, timeout <-chan struct{}, fail func()) {
	done := make(chan struct{})
	go func() {
		for s := range sink {
			if s == "a" {
				close(done)
				return
			}
		}
	}()
	select {
	case <-timeout:
		fail()
	case <-done:
	}
	done = make(chan struct{})
	go func() {
		for s := range sink {
			if s == "b" {
				close(done)
				return
			}
		}
	}()
	select {
	case <-timeout:
		fail()
	case <-done:
	}
}

// A goroutine's only send completes before the receive that takes it:
// the spawner that received it may close.
func goodReceivedThenClosed() int {
	out := make(chan int)
	go func() { out <- work(1) }()
	v := <-out
	close(out)
	return v
}

type replier struct{ out chan int }

func (r *replier) reply(v int) { r.out <- v }

// The same through a method and a field of the spawner's own object.
func goodReceivedFieldThenClosed() int {
	r := &replier{out: make(chan int)}
	go r.reply(2)
	v := <-r.out
	close(r.out)
	return v
}

// Two sends, one receive: the second send races with the close.
func badSecondSend() int {
	out := make(chan int)
	go func() {
		out <- 1
		out <- 2 // want `unsynchronized send on out`
	}()
	v := <-out
	close(out)
	return v
}

// Two goroutines send once each, and only one value is received.
func badOtherSender() int {
	out := make(chan int)
	go func() { out <- 1 }() // want `unsynchronized send on out: .* \(and 1 more conflict on out among the goroutines badOtherSender starts\)`
	go func() { out <- 2 }()
	v := <-out
	close(out)
	return v
}

// The receive is one case of a select: it may take the timeout instead.
func badSelectedReceive(timeout <-chan struct{}) int {
	out := make(chan int)
	go func() { out <- 1 }() // want `unsynchronized send on out`
	v := 0
	select {
	case v = <-out:
	case <-timeout:
	}
	close(out)
	return v
}
