// Package pure has no cgo: it is analysed with CGO_ENABLED=0 too.
package pure

import "sync"

// Last records the last value any goroutine saw, with no lock.
func Last(xs []int) int {
	last := 0
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last = x
		}()
	}
	wg.Wait()
	return last
}
