package closures

import "sync"

func Direct(ch chan int) { // want Direct:"blocks\\(receive from ch via closures.Direct.func1\\)"
	f := func() { <-ch }
	f()
}

func Goroutine(ch chan int) { // ok: the closure runs on its own goroutine
	go func() { ch <- 1 }()
}

func Deferred(wg *sync.WaitGroup) { // ok: deferred calls are not counted where they appear
	defer func() { wg.Wait() }()
}

func Value(f func()) { // ok: unknown function values are not counted
	f()
}

func Nested(ch chan int) { // want Nested:"blocks\\(send on ch via closures.Nested.func1 → closures.Nested.func1.func1\\)"
	func() {
		func() { ch <- 1 }()
	}()
}
