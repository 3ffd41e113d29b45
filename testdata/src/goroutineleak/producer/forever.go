package producer

// counter sends for ever: a caller that stops receiving leaves it
// blocked.
func counter() <-chan int { // want counter:`pendingSend\(0, loop, forever\)`
	ch := make(chan int)
	go func() {
		for i := 0; ; i++ {
			ch <- i
		}
	}()
	return ch
}

func firstTwo() int {
	c := counter()
	a := <-c
	b := <-c
	return a + b // want `goroutine leak: firstTwo returns here while the goroutine counter started keeps sending on the channel it returned`
}

// consumeForever never returns: it keeps receiving.
func consumeForever(sink func(int)) {
	c := counter()
	for {
		sink(<-c)
	}
}

// worker's loop receives jobs for ever; nothing closes the channel.
func runJobs(jobs []int, do func(int)) {
	ch := make(chan int)
	go func() {
		for {
			j := <-ch // want `goroutine leak: the goroutine receives from ch in a loop that never ends: once runJobs returns nothing sends on ch`
			do(j)
		}
	}()
	for _, j := range jobs {
		ch <- j
	}
}

// runJobsQuit's worker leaves its loop on a zero job, which the starter
// sends last.
func runJobsQuit(jobs []int, do func(int)) {
	ch := make(chan int)
	go func() {
		for {
			j := <-ch
			if j == 0 {
				return
			}
			do(j)
		}
	}()
	for _, j := range jobs {
		ch <- j
	}
	ch <- 0
}

// echo's loop ends when its source does, into a buffer of 100.
func echo(next func() (int, bool)) <-chan int { // want echo:`pendingSend\(0, loop, unclosed\)`
	ch := make(chan int, 100)
	go func() {
		for {
			v, ok := next()
			if !ok {
				return
			}
			ch <- v
		}
	}()
	return ch
}

func echoDropped(next func() (int, bool)) {
	echo(next)
}

func counterDropped() {
	counter() // want `goroutine leak: the channel counter returns is dropped`
}

// watchBoth's goroutine waits on two channels that nothing ever serves.
func watchBoth() {
	stop := make(chan struct{})
	reload := make(chan struct{})
	go func() {
		select { // want `goroutine leak: the select blocks for ever: nothing sends on or closes reload or stop`
		case <-stop:
		case <-reload:
		}
	}()
}

// watchBothStopped closes one of them.
func watchBothStopped() func() {
	stop := make(chan struct{})
	reload := make(chan struct{})
	go func() {
		select {
		case <-stop:
		case <-reload:
		}
	}()
	return func() { close(stop) }
}
