//go:build go1.21

package loops

import "sync"

// Before Go 1.22 the loop variable is one variable for the whole loop.
// A goroutine ending the loop body is vet's loopclosure finding.
func oldLoop(xs []int) {
	var wg sync.WaitGroup
	for i := 0; i < len(xs); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = xs[i] // ok: reported by loopclosure
		}()
	}
	wg.Wait()
}

// The same goroutine followed by more of the loop body: loopclosure is
// silent, sharedaccess reports it.
func oldLoopNotLast(xs []int) {
	var wg sync.WaitGroup
	for i := 0; i < len(xs); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = xs[i] // want `unsynchronized read of i: the goroutine running oldLoopNotLast\.func1 reads i, which oldLoopNotLast writes after the go statement`
		}()
		println()
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
