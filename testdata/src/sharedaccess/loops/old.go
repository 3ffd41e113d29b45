//go:build go1.21

package loops

import "sync"

// Before Go 1.22 the loop variable is one variable for the whole loop.
func oldLoop(xs []int) {
	var wg sync.WaitGroup
	for i := 0; i < len(xs); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = xs[i] // want `unsynchronized read of i: goroutine started at old.go:12 reads i, which oldLoop writes after the go statement`
		}()
	}
	wg.Wait()
}

func oldLoopArg(xs []int) {
	var wg sync.WaitGroup
	for i := 0; i < len(xs); i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_ = xs[i]
		}(i)
	}
	wg.Wait()
}
