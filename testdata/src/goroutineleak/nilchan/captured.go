package nilchan

// Channel variables captured by a goroutine's function literal.

// badCapturedNil declares the channel and never makes it: the goroutine
// blocks for ever on its send, and the receive below too.
func badCapturedNil() int {
	var ch chan int
	go func() {
		ch <- 1 // want `goroutine leak: the send on ch, a channel never made, blocks for ever`
	}()
	return 0
}

// badCapturedNilRecv receives in the goroutine.
func badCapturedNilRecv(out []int) {
	var done chan struct{}
	go func() {
		<-done // want `goroutine leak: the receive from done, a channel never made, blocks for ever`
		out[0] = 1
	}()
}

// goodCapturedMade makes the channel before the goroutine uses it.
func goodCapturedMade() int {
	var ch chan int
	ch = make(chan int, 1)
	go func() {
		ch <- 1
	}()
	return <-ch
}

// goodCapturedMadeLater makes it on one path only: whether the
// goroutine blocks depends on the path, which this check leaves alone.
func goodCapturedMadeLater(on bool) {
	var ch chan int
	if on {
		ch = make(chan int, 1)
	}
	go func() {
		select {
		case ch <- 1:
		default:
		}
	}()
}

// goodCapturedSetByClosure is made by another literal that captures it.
func goodCapturedSetByClosure(run func(func())) {
	var ch chan int
	run(func() { ch = make(chan int, 1) })
	go func() {
		ch <- 1
	}()
}
