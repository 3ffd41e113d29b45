package mid

import "goroutines/crosspkg/lib"

func Async(name string, f func()) { // want Async:"spawns\\(1\\)"
	lib.Go(f)
}
