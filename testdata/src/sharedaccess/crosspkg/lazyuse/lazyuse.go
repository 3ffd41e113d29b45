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
