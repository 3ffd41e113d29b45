// Command mixmain sets a counter before it starts the goroutines that
// update it atomically: no goroutine exists yet when it is written.
package main

import (
	"sync"
	"sync/atomic"
)

var left int32
var late int32

func worker(wg *sync.WaitGroup) {
	defer wg.Done()
	atomic.AddInt32(&left, -1)
	atomic.AddInt32(&late, -1) // the other side of the plain write in main: one finding
}

func main() {
	var wg sync.WaitGroup
	left = 4 // ok: before any goroutine
	wg.Add(4)
	for i := 0; i < 4; i++ {
		go worker(&wg)
	}
	late = 4 // want `unsynchronized write to late: main writes it without sync/atomic, which worker uses on it`
	wg.Wait()
}
