package basic

import (
	"errors"
	"time"
)

// A watchdog that waits for done or its timer, and once the timer has
// fired, for done alone: the starter must close done on every path.

type wdServer struct{ slow time.Duration }

func (s *wdServer) watchdog(done <-chan struct{}) {
	t := time.NewTimer(s.slow)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		println("slow request")
		<-done // want `goroutine leak: the receive from done blocks for ever when \(\*wdServer\).handle returns without sending on or closing it`
		println("slow request finished")
	}
}

// BAD: the validation error returns without closing done.
func (s *wdServer) handle(body string) error {
	done := make(chan struct{})
	go s.watchdog(done)
	if body == "" {
		return errors.New("empty body")
	}
	close(done)
	return nil
}

func (s *wdServer) watchdogOK(done <-chan struct{}) {
	t := time.NewTimer(s.slow)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		<-done
	}
}

// GOOD: done is closed on every path.
func (s *wdServer) handleOK(body string) error {
	done := make(chan struct{})
	defer close(done)
	go s.watchdogOK(done)
	if body == "" {
		return errors.New("empty body")
	}
	return nil
}

func (s *wdServer) watchdogGiveUp(done <-chan struct{}) {
	select {
	case <-done:
	case <-time.After(s.slow):
		println("gave up")
	}
}

// GOOD: the watchdog gives up when its timer fires.
func (s *wdServer) handleGiveUp(body string) error {
	done := make(chan struct{})
	go s.watchdogGiveUp(done)
	if body == "" {
		return errors.New("empty body")
	}
	close(done)
	return nil
}
