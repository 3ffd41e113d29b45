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

// TestCountedWithDeadline receives once per sender in a loop of its own,
// failing the test on a deadline: the loop's only other way out is a
// blocking select's impossible fall-through.
func TestCountedWithDeadline(t *testing.T) {
	const count = 10
	done := make(chan int)
	late := time.After(time.Second)
	for i := 0; i < count; i++ {
		go func() { done <- i }()
	}
	for i := 0; i < count; i++ {
		select {
		case <-done:
		case <-late:
			t.Fatalf("late")
		}
	}
}
