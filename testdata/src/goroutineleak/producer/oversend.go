package producer

// A generator that never stops, beside a starter that takes one value:
// the second send blocks for ever.
func badEndlessFirst() int {
	ch := make(chan int)
	go func() {
		for i := 0; ; i++ {
			ch <- i // want `goroutine leak: the goroutine sends on ch in a loop that never ends but badEndlessFirst receives at most 1: the send after those blocks for ever`
		}
	}()
	return <-ch
}

// Ten sends, two receives and room for three: five are left.
func badCountedTwo() (int, int) {
	ch := make(chan int, 3)
	go func() {
		for i := range 10 {
			ch <- i // want `goroutine leak: the goroutine sends on ch 10 times but badCountedTwo receives at most 2 and the buffer holds 3`
		}
		close(ch)
	}()
	a := <-ch
	b := <-ch
	return a, b
}

// A counted receive loop that takes fewer than the generator sends.
func badCountedLoop() []int {
	ch := make(chan int)
	go func() {
		for i := 0; i < 5; i++ {
			ch <- i // want `goroutine leak: the goroutine sends on ch 5 times but badCountedLoop receives at most 4`
		}
	}()
	var out []int
	for range 4 {
		out = append(out, <-ch)
	}
	return out
}

// As many receives as sends.
func goodCountedAll() []int {
	ch := make(chan int)
	go func() {
		for i := 0; i < 3; i++ {
			ch <- i
		}
	}()
	return []int{<-ch, <-ch, <-ch}
}

// The buffer holds what the starter does not take.
func goodBuffered() int {
	ch := make(chan int, 9)
	go func() {
		for i := range 10 {
			ch <- i
		}
	}()
	return <-ch
}

// The generator stops when the starter says so.
func goodStopped() int {
	ch := make(chan int)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for i := 0; ; i++ {
			select {
			case ch <- i:
			case <-done:
				return
			}
		}
	}()
	return <-ch
}

// The generator sends only on some rounds: how many is not known.
func goodSometimes(keep func(int) bool) int {
	ch := make(chan int)
	go func() {
		for i := range 10 {
			if keep(i) {
				ch <- i
			}
		}
		close(ch)
	}()
	return <-ch
}

// The generator may return before its loop.
func goodMayNotStart(ok func() bool) int {
	ch := make(chan int)
	go func() {
		if !ok() {
			ch <- -1
			return
		}
		for i := 0; ; i++ {
			ch <- i
		}
	}()
	return <-ch
}
