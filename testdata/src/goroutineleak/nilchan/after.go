package nilchan

import "time"

// A channel from time.After kept in a variable that only one branch
// sets: on the other path it is nil, and a receive from it alone
// blocks for ever.

func badWatchdog(d time.Duration, onTimeout func()) {
	var timeout <-chan time.Time
	if d > 0 {
		timeout = time.After(d)
	}
	go func() {
		<-timeout // want `goroutine leak: the receive from timeout, which is nil on a path that skips its time.After call, blocks for ever`
		onTimeout()
	}()
}

func badWait(d time.Duration) {
	var timeout <-chan time.Time
	if d > 0 {
		timeout = time.After(d)
	}
	<-timeout // want `goroutine leak: the receive from timeout, which is nil on a path that skips its time.After call, blocks for ever`
}

// goodWatchdog returns before starting when there is no timeout.
func goodWatchdog(d time.Duration, onTimeout func()) {
	if d <= 0 {
		return
	}
	timeout := time.After(d)
	go func() {
		<-timeout
		onTimeout()
	}()
}

// goodOptionalTimeout uses the nil channel to disable one case of a
// select that has others.
func goodOptionalTimeout(d time.Duration, done <-chan struct{}) bool {
	var timeout <-chan time.Time
	if d > 0 {
		timeout = time.After(d)
	}
	select {
	case <-timeout:
		return false
	case <-done:
		return true
	}
}
