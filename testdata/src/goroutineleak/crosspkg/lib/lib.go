// Package lib drains or fills channels that its callers make.
package lib

// Drain receives every value until ch is closed.
func Drain(ch chan int) { // want Drain:`chanUse\(0:recv\+recvloop\+range\)`
	for range ch {
	}
}

// Go runs f on a goroutine and returns the channel its error arrives
// on: the caller must receive from it.
func Go(f func() error) chan error { // want Go:`pendingSend\(0\)`
	ch := make(chan error)
	go func() {
		ch <- f()
	}()
	return ch
}

// GoBuffered is Go with room for the error: the caller may drop it.
func GoBuffered(f func() error) chan error {
	ch := make(chan error, 1)
	go func() {
		ch <- f()
	}()
	return ch
}

// Start returns the channel beside an error.
func Start(f func() int) (<-chan int, error) { // want Start:`pendingSend\(0\)`
	ch := make(chan int)
	go func() { ch <- f() }()
	return ch, nil
}

// Fill sends n values on ch.
func Fill(ch chan<- int, n int) { // want Fill:`chanUse\(0:send\+sendloop\)`
	for i := 0; i < n; i++ {
		ch <- i
	}
}
