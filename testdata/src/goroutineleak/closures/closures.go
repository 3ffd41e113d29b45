// Package closures: goroutines started from named functions with the
// channel passed as an argument, and function literals.
package closures

import "errors"

func worker(out chan<- int, v int) {
	out <- v * 2 // want `goroutine leak: the send on out blocks for ever when badArg returns without receiving from it`
}

// badArg passes the channel to a named worker and returns early.
func badArg(v int) (int, error) {
	out := make(chan int)
	go worker(out, v)
	if v < 0 {
		return 0, errors.New("negative")
	}
	return <-out, nil
}

// goodArg waits on every path.
func goodArg(v int) (int, error) {
	out := make(chan int)
	go worker(out, v)
	r := <-out
	if v < 0 {
		return 0, errors.New("negative")
	}
	return r, nil
}

// goodNested: an inner literal the check does not follow receives.
func goodNested(v int) {
	ch := make(chan int)
	go func() { ch <- v }()
	func() { <-ch }()
}
