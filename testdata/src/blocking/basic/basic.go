package basic

import (
	"context"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"time"
)

type S struct {
	mu   sync.Mutex
	jobs chan int
	cond *sync.Cond
	wg   sync.WaitGroup
	conn net.Conn
	f    *os.File
}

func (s *S) next() int { // want next:"blocks\\(receive from s.jobs\\)"
	return <-s.jobs
}

func (s *S) put(v int) { // want put:"blocks\\(send on s.jobs\\)"
	s.jobs <- v
}

func (s *S) tryPut(v int) bool { // ok: select with default never blocks
	select {
	case s.jobs <- v:
		return true
	default:
		return false
	}
}

func (s *S) either(a, b chan int) int { // want either:"blocks\\(select without default\\)"
	select {
	case v := <-a:
		return v
	case v := <-b:
		return v
	}
}

func (s *S) drain() { // want drain:"blocks\\(receive from s.jobs\\)"
	for range s.jobs {
	}
}

func (s *S) stop() { // ok: close never blocks
	close(s.jobs)
}

func (s *S) sleep() { // want sleep:"blocks\\(call to time.Sleep\\)"
	time.Sleep(time.Millisecond)
}

func (s *S) waitAll() { // want waitAll:"blocks\\(call to s.wg.Wait\\)"
	s.wg.Wait()
}

func (s *S) waitCond() { // want waitCond:"condwait\\(call to s.cond.Wait\\)"
	s.cond.Wait()
}

func (s *S) waitCtx(ctx context.Context) { // want waitCtx:"blocks\\(receive from ctx.Done\\(\\)\\)"
	<-ctx.Done()
}

func (s *S) cancelOnly(cancel context.CancelFunc) { // ok: calls through function values are unknown
	cancel()
}

func (s *S) tryLock() bool { // ok: TryLock and Lock are not blocking operations here
	if s.mu.TryLock() {
		s.mu.Unlock()
		return true
	}
	return false
}

func (s *S) send(b []byte) { // want send:"blocks\\(call to s.conn.Write\\)"
	s.conn.Write(b)
}

func (s *S) save(b []byte) { // want save:"blocks\\(call to s.f.Write\\)"
	s.f.Write(b)
}

func (s *S) copyOut(r io.Reader) { // want copyOut:"blocks\\(call to io.Copy\\)"
	io.Copy(s.f, r)
}

func copyMem(w io.Writer) { // ok: an io.Writer may be a bytes.Buffer; strings.Reader is memory
	io.Copy(w, strings.NewReader("x"))
}

func writeAny(w io.Writer, b []byte) { // ok: interface calls through io.Writer are not counted
	w.Write(b)
}

// Chains.

func (s *S) process() int { // want process:"blocks\\(receive from s.jobs via \\(\\*basic.S\\).next\\)"
	return s.next() + 1
}

func outer(s *S) int { // want outer:"blocks\\(receive from s.jobs via \\(\\*basic.S\\).process → \\(\\*basic.S\\).next\\)"
	return s.process()
}

func prefersDirect(s *S) { // want prefersDirect:"blocks\\(call to time.Sleep\\)"
	s.process()
	time.Sleep(1)
}

func prefersBlocking(s *S) { // want prefersBlocking:"blocks\\(receive from s.jobs via \\(\\*basic.S\\).next\\)"
	s.waitCond()
	s.next()
}

func recursive(n int, ch chan int) { // want recursive:"blocks\\(receive from ch\\)"
	if n > 0 {
		recursive(n-1, ch)
		return
	}
	<-ch
}

func mutualA(n int, ch chan int) { // want mutualA:"blocks\\(send on ch via basic.mutualB\\)"
	if n > 0 {
		mutualB(n-1, ch)
	}
}

func mutualB(n int, ch chan int) { // want mutualB:"blocks\\(send on ch\\)"
	mutualA(n, ch)
	ch <- n
}

func spawn(ch chan int) { // ok: the receive runs on another goroutine
	go func() { <-ch }()
}

// Buffered channels.

func bufferedOnce() int { // ok: one send into one slot
	ch := make(chan int, 1)
	ch <- 1
	return len(ch)
}

func bufferedGoroutine() error { // ok: the goroutine only sends, without waiting on anything
	done := make(chan error, 1)
	go func() { done <- nil }()
	return <-done
}

func slowGoroutine() error { // want slowGoroutine:"blocks\\(receive from done\\)"
	done := make(chan error, 1)
	go func() { time.Sleep(time.Millisecond); done <- nil }()
	return <-done
}

func bufferedLoop(n int) { // want bufferedLoop:"blocks\\(send on ch\\)"
	ch := make(chan int, 1)
	for i := 0; i < n; i++ {
		ch <- i
	}
}

func bufferedTwice() { // want bufferedTwice:"blocks\\(send on ch\\)"
	ch := make(chan int, 1)
	ch <- 1
	ch <- 2
}

// bufferedEscapes sends once into a buffer of one: the send waits only
// while the reader that keep hands the channel to lags, which is not a
// blocking call for its callers.
func bufferedEscapes(keep func(chan int)) {
	ch := make(chan int, 1)
	keep(ch)
	ch <- 1
}

func unbuffered() { // want unbuffered:"blocks\\(send on ch\\)"
	ch := make(chan int)
	ch <- 1
}

func pure(a, b int) int { return a + b } // ok: nothing blocks

// Releases: the caller's lock is unlocked while the operation blocks.

func (s *S) waitUnlocked() { // want waitUnlocked:"blocks\\(receive from s.jobs releasing 0.mu\\)"
	s.mu.Unlock()
	<-s.jobs
	s.mu.Lock()
}

func (s *S) relockedFirst() { // want relockedFirst:"blocks\\(receive from s.jobs\\)"
	s.mu.Unlock()
	s.mu.Lock()
	<-s.jobs
}

func (s *S) callsWaitUnlocked() { // want callsWaitUnlocked:"blocks\\(receive from s.jobs releasing 0.mu via \\(\\*basic.S\\).waitUnlocked\\)"
	s.waitUnlocked()
}

func (s *S) prefersHeld() { // want prefersHeld:"blocks\\(call to time.Sleep\\)"
	s.waitUnlocked()
	time.Sleep(1)
}

// One-shot field channels.

type notifier struct {
	ch        chan bool
	triggered bool
	result    chan int
	unbuf     chan int
}

func newNotifier() *notifier {
	return &notifier{result: make(chan int, 1), unbuf: make(chan int)}
}

func (n *notifier) lazy() chan bool { // ok: the first send on a fresh one-slot channel
	n.ch = make(chan bool, 1)
	if n.triggered {
		n.ch <- true
	}
	return n.ch
}

func (n *notifier) lazyTwice() { // want lazyTwice:"blocks\\(send on n.ch\\)"
	n.ch = make(chan bool, 1)
	n.ch <- true
	n.ch <- false
}

func (n *notifier) deliver(v int) { // ok: send then close on a buffered channel
	n.result <- v
	close(n.result)
}

func (n *notifier) deliverUnbuffered(v int) { // want deliverUnbuffered:"blocks\\(send on n.unbuf\\)"
	n.unbuf <- v
	close(n.unbuf)
}

func notify(done chan<- struct{}) { // want notify:"blocks\\(send on done\\)"
	if done != nil {
		done <- struct{}{}
	}
}

func notifyNone() { // ok: nil channel argument, the callee checks for nil
	notify(nil)
}

func notifySome(ch chan struct{}) { // want notifySome:"blocks\\(send on done via basic.notify\\)"
	notify(ch)
}

func console(b []byte) { // ok: console output is not counted
	os.Stdout.Write(b)
	io.Copy(os.Stderr, strings.NewReader("x"))
}
