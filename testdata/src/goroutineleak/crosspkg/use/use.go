// Package use hands its channels to another package: the check does not
// follow them there, so nothing is reported (a documented limit).
package use

import "goroutineleak/crosspkg/lib"

func handOff(items []int) {
	ch := make(chan int)
	go lib.Drain(ch)
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
