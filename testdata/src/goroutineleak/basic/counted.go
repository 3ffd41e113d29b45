package basic

// Goroutines started by a loop that constants bound, each sending one
// value, against the values their starter takes.

func compute(i int) int { return i * i }

// badCountedStarts starts three senders and takes two values: the third
// sender blocks for ever.
func badCountedStarts() int {
	ch := make(chan int)
	for i := 0; i < 3; i++ {
		go func() { ch <- compute(i) }() // want `goroutine leak: 3 goroutines send on ch once each but badCountedStarts receives at most 2: 1 of them blocks for ever`
	}
	return <-ch + <-ch
}

// badCountedRange starts four over range 4 and has room for one more
// than it takes.
func badCountedRange() int {
	ch := make(chan int, 1)
	for i := range 4 {
		go func() { ch <- compute(i) }() // want `goroutine leak: 4 goroutines send on ch once each but badCountedRange receives at most 2 and the buffer holds 1: 1 of them blocks for ever`
	}
	return <-ch + <-ch
}

// goodCountedStarts takes as many values as it starts senders.
func goodCountedStarts() int {
	ch := make(chan int)
	for i := 0; i < 3; i++ {
		go func() { ch <- compute(i) }()
	}
	return <-ch + <-ch + <-ch
}

// goodCountedBuffer has room in the buffer for the senders it does not
// wait for.
func goodCountedBuffer() int {
	ch := make(chan int, 2)
	for i := 0; i < 3; i++ {
		go func() { ch <- compute(i) }()
	}
	return <-ch
}

// goodCountedLoop receives in a loop as many times as it starts senders.
func goodCountedLoop() int {
	ch := make(chan int)
	for i := 0; i < 3; i++ {
		go func() { ch <- compute(i) }()
	}
	sum := 0
	for range 3 {
		sum += <-ch
	}
	return sum
}

func primary(q int) int { return q }
func replica(q int) int { return q + 1 }

// badFirstReply asks two backends and takes the first reply: the slower
// one blocks for ever.
func badFirstReply(q int) int {
	ch := make(chan int)
	go func() { ch <- primary(q) }()
	go func() { ch <- replica(q) }() // want `goroutine leak: 2 goroutines send on ch once each but badFirstReply receives at most 1: 1 of them blocks for ever`
	return <-ch
}

// goodFirstReplyBuffered has room for the reply it does not take.
func goodFirstReplyBuffered(q int) int {
	ch := make(chan int, 1)
	go func() { ch <- primary(q) }()
	go func() { ch <- replica(q) }()
	return <-ch
}

// goodBothReplies takes both.
func goodBothReplies(q int) int {
	ch := make(chan int)
	go func() { ch <- primary(q) }()
	go func() { ch <- replica(q) }()
	return <-ch + <-ch
}

// goodFirstReplyCancel: the senders give up when the caller is done.
func goodFirstReplyCancel(q int) int {
	ch := make(chan int)
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case ch <- primary(q):
		case <-done:
		}
	}()
	go func() {
		select {
		case ch <- replica(q):
		case <-done:
		}
	}()
	return <-ch
}

// goodOneOrOther starts one of the two, never both.
func goodOneOrOther(q int, fast bool) int {
	ch := make(chan int)
	if fast {
		go func() { ch <- primary(q) }()
	} else {
		go func() { ch <- replica(q) }()
	}
	return <-ch
}
