// Package producer pairs starters that wait on a channel their goroutine
// can return without serving with clean twins.
package producer

import (
	"errors"
	"log"
	"os"
)

type conn struct{ id int }

func dial(addr string) (*conn, error) {
	if addr == "" {
		return nil, errors.New("no address")
	}
	return &conn{}, nil
}

// connect waits for a connection the goroutine skips sending on error.
func connect(addr string) *conn {
	out := make(chan *conn)
	go func() {
		c, err := dial(addr)
		if err != nil {
			return
		}
		out <- c
	}()
	return <-out // want `goroutine leak: the receive from out in connect blocks for ever when the goroutine returns without sending on out`
}

// connectBoth sends on either path.
func connectBoth(addr string) *conn {
	out := make(chan *conn)
	go func() {
		c, err := dial(addr)
		if err != nil {
			out <- nil
			return
		}
		out <- c
	}()
	return <-out
}

// connectExit ends the program on the path that does not send.
func connectExit(addr string) *conn {
	out := make(chan *conn)
	go func() {
		c, err := dial(addr)
		if err != nil {
			log.Fatal(err)
		}
		out <- c
	}()
	return <-out
}

// connectOsExit ends the program on the path that does not send.
func connectOsExit(addr string) *conn {
	out := make(chan *conn)
	go func() {
		c, err := dial(addr)
		if err != nil {
			os.Exit(1)
		}
		out <- c
	}()
	return <-out
}

// warmup waits for a close the goroutine skips on error.
func warmup(addrs []string) {
	ready := make(chan struct{})
	go func() {
		if _, err := dial(addrs[0]); err != nil {
			return
		}
		close(ready)
	}()
	<-ready // want `goroutine leak: the receive from ready in warmup blocks for ever when the goroutine returns without closing ready`
}

// warmupDeferred closes on every path.
func warmupDeferred(addrs []string) {
	ready := make(chan struct{})
	go func() {
		defer close(ready)
		if _, err := dial(addrs[0]); err != nil {
			return
		}
	}()
	<-ready
}

// collect ranges until a close the goroutine skips when it stops early.
func collect(addrs []string) []*conn {
	out := make(chan *conn)
	go func() {
		for _, a := range addrs {
			c, err := dial(a)
			if err != nil {
				return
			}
			out <- c
		}
		close(out)
	}()
	var all []*conn
	for c := range out { // want `goroutine leak: the range over out in collect never ends when the goroutine returns without closing out`
		all = append(all, c)
	}
	return all
}

// collectBreak leaves its loop instead of returning: the close runs.
func collectBreak(addrs []string) []*conn {
	out := make(chan *conn)
	go func() {
		for _, a := range addrs {
			c, err := dial(a)
			if err != nil {
				break
			}
			out <- c
		}
		close(out)
	}()
	var all []*conn
	for c := range out {
		all = append(all, c)
	}
	return all
}

// perElement sends once per element and receives once per element: an
// empty slice skips both.
func perElement(addrs []string) int {
	out := make(chan int)
	go func() {
		for range addrs {
			out <- 1
		}
	}()
	n := 0
	for range addrs {
		n += <-out
	}
	return n
}

// waitsOther's goroutine returns without sending only after waiting on
// another channel, which the starter may be the one to serve.
func waitsOther(addr string, stop chan struct{}) *conn {
	out := make(chan *conn)
	go func() {
		c, err := dial(addr)
		if err != nil {
			<-stop
			return
		}
		out <- c
	}()
	return <-out
}

// eitherOr's goroutine sends an error or closes done, never both: the
// starter's return after done leaves no sender behind.
func eitherOr(addr string) error {
	errs := make(chan error)
	done := make(chan struct{})
	go func() {
		if _, err := dial(addr); err != nil {
			errs <- err
			return
		}
		close(done)
	}()
	select {
	case err := <-errs:
		return err
	case <-done:
		return nil
	}
}

// closeThenSend closes done before it sends: the starter returns after
// done and leaves the send blocked.
func closeThenSend(addr string) error {
	errs := make(chan error)
	done := make(chan struct{})
	go func() {
		_, err := dial(addr)
		close(done)
		errs <- err // want `goroutine leak: the send on errs blocks for ever when closeThenSend returns without receiving from it`
	}()
	select {
	case err := <-errs:
		return err
	case <-done:
		return nil
	}
}

// acceptThenServe's goroutine sends on reqs only after sending on
// accepted: once the starter has a request, the connection was sent.
func acceptThenServe(addr string) *conn {
	accepted := make(chan *conn, 1)
	reqs := make(chan int, 2)
	go func() {
		c, err := dial(addr)
		if err != nil {
			return
		}
		accepted <- c
		for i := 0; i < 2; i++ {
			reqs <- i
		}
	}()
	<-reqs
	return <-accepted
}

// acceptPolled is acceptThenServe whose request channel a polling
// closure also reads.
func acceptPolled(addr string, poll func(func() bool)) *conn {
	accepted := make(chan *conn, 1)
	reqs := make(chan int, 2)
	go func() {
		c, err := dial(addr)
		if err != nil {
			return
		}
		accepted <- c
		reqs <- 1
	}()
	<-reqs
	poll(func() bool { return len(reqs) > 0 })
	return <-accepted
}

// countThree leaves its loop once it has counted a value from each of
// its three goroutines.
func countThree(addr string) {
	a := make(chan struct{})
	b := make(chan struct{})
	c := make(chan struct{})
	go func() { dial(addr); a <- struct{}{} }()
	go func() { dial(addr); b <- struct{}{} }()
	go func() { dial(addr); c <- struct{}{} }()
	done := 0
	for {
		select {
		case <-a:
			done++
		case <-b:
			done++
		case <-c:
			done++
		}
		if done == 3 {
			return
		}
	}
}

// firstOfTwo leaves after the first value: the other sender blocks.
func firstOfTwo(addr string) {
	a := make(chan struct{})
	b := make(chan struct{})
	go func() { dial(addr); a <- struct{}{} }() // want `goroutine leak: the send on a blocks for ever when firstOfTwo returns without receiving from it`
	go func() { dial(addr); b <- struct{}{} }() // want `goroutine leak: the send on b blocks for ever when firstOfTwo returns without receiving from it`
	select {
	case <-a:
	case <-b:
	}
}

type watcherConn struct{ events chan int }

func newWatcherConn(events chan int) *watcherConn { return &watcherConn{events: events} }

// watchNoSignal consumes events but never signals done.
func (w *watcherConn) watchNoSignal(done chan bool) {
	for e := range w.events {
		_ = e
	}
}

// watchSignal closes done when it stops.
func (w *watcherConn) watchSignal(done chan bool) {
	defer close(done)
	for e := range w.events {
		_ = e
	}
}

// badWaitUnsignalled hands done to a method that never touches it.
func badWaitUnsignalled(w *watcherConn) {
	done := make(chan bool)
	go w.watchNoSignal(done)
	<-done // want `goroutine leak: the receive from done in badWaitUnsignalled blocks for ever: the goroutine it is handed to never sends on it or closes it`
}

// goodWaitSignalled waits for the method's deferred close.
func goodWaitSignalled(w *watcherConn) {
	done := make(chan bool)
	go w.watchSignal(done)
	<-done
}
