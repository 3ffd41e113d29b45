// Package use hands its channels to functions of another package, which
// the check follows through their ChanUse facts.
package use

import "goroutineleak/crosspkg/lib"

func handOff(items []int) {
	ch := make(chan int)
	go lib.Drain(ch) // want `goroutine leak: the range over ch never ends: handOff never closes it`
	for _, it := range items {
		ch <- it
	}
}

func fail() error { return nil }

// badDropped drops the channel Go returns.
func badDropped() {
	lib.Go(fail) // want `goroutine leak: the channel lib.Go returns is dropped, so the goroutine it starts blocks for ever sending on it`
}

// badDroppedTuple keeps only the error.
func badDroppedTuple() error {
	_, err := lib.Start(func() int { return 1 }) // want `goroutine leak: the channel lib.Start returns is dropped`
	return err
}

// goodReceived waits for the error.
func goodReceived() error {
	return <-lib.Go(fail)
}

// goodBuffered drops a channel with room for its one value.
func goodBuffered() {
	lib.GoBuffered(fail)
}

// goodKept keeps the channel for later.
func goodKept() <-chan int {
	ch, _ := lib.Start(func() int { return 1 })
	return ch
}

// handOffClosed closes the channel the drainer ranges over.
func handOffClosed(items []int) {
	ch := make(chan int)
	go lib.Drain(ch)
	for _, it := range items {
		ch <- it
	}
	close(ch)
}

// badFillStopsEarly stops receiving at a negative value while Fill
// still sends.
func badFillStopsEarly(n int) int {
	ch := make(chan int)
	go func() {
		lib.Fill(ch, n) // want `goroutine leak: the send on ch blocks for ever once badFillStopsEarly stops receiving`
		close(ch)
	}()
	sum := 0
	for v := range ch {
		if v < 0 {
			return sum
		}
		sum += v
	}
	return sum
}

// goodFillDrained reads every value.
func goodFillDrained(n int) int {
	ch := make(chan int)
	go func() {
		lib.Fill(ch, n)
		close(ch)
	}()
	sum := 0
	for v := range ch {
		sum += v
	}
	return sum
}
