package basic

import "time"

// Waiting loops that leave once flags set by the receives are all true:
// a path that never receives from a channel keeps its flag false, so it
// cannot leave the loop, and no sender is left behind.

func closeOne(id int) bool { return id >= 0 }

// goodFlagLoop leaves only when both replies have come: ready0 becomes
// true only by the receive from done0.
func goodFlagLoop() {
	done0 := make(chan bool)
	done1 := make(chan bool)
	go func() { done0 <- closeOne(0) || true }()
	go func() { done1 <- closeOne(1) || true }()
	ready0, ready1 := false, false
	for !ready0 || !ready1 {
		select {
		case ready0 = <-done0:
		case ready1 = <-done1:
		}
	}
}

// goodFlagLoopSet sets the flag in the case body, and leaves by a break
// that needs both flags.
func goodFlagLoopSet() {
	done := make(chan struct{})
	go func() {
		closeOne(2)
		done <- struct{}{}
	}()
	got := false
	for !got {
		select {
		case <-done:
			got = true
		case <-time.After(time.Millisecond):
			closeOne(3) // keep polling
		}
	}
}

// badFlagLoopBounded gives up after 100 polls: the flag may still be
// false when the loop ends, and the sender then blocks for ever.
func badFlagLoopBounded() {
	done := make(chan bool)
	go func() { done <- closeOne(4) }() // want `goroutine leak: the send on done blocks for ever when badFlagLoopBounded returns without receiving from it`
	got := false
	for range 100 {
		select {
		case got = <-done:
		default:
			time.Sleep(time.Millisecond)
		}
		if got {
			break
		}
	}
}
