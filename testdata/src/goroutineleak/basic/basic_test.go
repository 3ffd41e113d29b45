package basic

import (
	"testing"
	"time"
)

// TestTimeout gives up on a stuck call only when the test fails: the
// leak on the failure path is not reported.
func TestTimeout(t *testing.T) {
	c := make(chan error)
	go func() { c <- work() }()
	select {
	case err := <-c:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(time.Second):
		t.Error("timed out")
	}
}

// TestTwoDone starts two goroutines and receives twice.
func TestTwoDone(t *testing.T) {
	done := make(chan bool)
	for i := 0; i < 2; i++ {
		go func() { done <- true }()
	}
	<-done
	<-done
}

// TestNeverWaits forgets to wait for the server goroutine.
func TestNeverWaits(t *testing.T) {
	done := make(chan error)
	go func() {
		done <- work() // want `goroutine leak: the send on done blocks for ever when TestNeverWaits returns without receiving from it`
	}()
}
