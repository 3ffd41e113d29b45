package loops

import "sync"

// GOOD: each goroutine doubles its own part of xs, a window whose
// bounds the loop computes per goroutine.
func doubleParts(xs []int, n int) {
	var wg sync.WaitGroup
	chunk := (len(xs) + n - 1) / n
	for i := 0; i < n; i++ {
		lo, hi := i*chunk, min((i+1)*chunk, len(xs))
		wg.Add(1)
		go func(part []int) {
			defer wg.Done()
			for j := range part {
				part[j] *= 2
			}
		}(xs[lo:hi])
	}
	wg.Wait()
}

// BAD: every goroutine gets the same window.
func doubleSame(xs []int, n int) {
	var wg sync.WaitGroup
	half := len(xs) / 2
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(part []int) {
			defer wg.Done()
			for j := range part {
				part[j] *= 2 // want `unsynchronized write to xs\[\.\.\.\]: goroutines running doubleSame\.func1 may run at once and each writes xs\[\.\.\.\]`
			}
		}(xs[:half])
	}
	wg.Wait()
}
