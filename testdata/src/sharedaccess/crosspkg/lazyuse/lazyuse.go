// Package lazyuse uses a lazily initialised tomb from two goroutines:
// the initialisation is ordered by the tomb's mutex, in its own package
// and here.
package lazyuse

import "sharedaccess/crosspkg/lazy"

func Serve() error {
	var t lazy.Tomb
	go func() {
		defer t.Done()
		<-t.Dying()
	}()
	t.Kill(nil)
	return t.Wait()
}

// Count is joined by the tomb: the goroutine's deferred Done closes the
// channel that Wait receives from, after its write.
func Count() int {
	var t lazy.Tomb
	n := 0
	go func() {
		defer t.Done()
		n++ // ok: before the deferred Done, which Wait waits for
	}()
	t.Wait()
	n++
	return n
}

// CountEarly writes after it has only asked the goroutine to stop:
// Kill closes dying, not dead, and the goroutine may still be running.
func CountEarly() int {
	var t lazy.Tomb
	n := 0
	go func() {
		defer t.Done()
		n++ // want `unsynchronized write to n`
	}()
	t.Kill(nil)
	n++
	return n
}
