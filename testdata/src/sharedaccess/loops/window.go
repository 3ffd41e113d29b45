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

// GOOD: the goroutine cuts its own window out of xs itself, with the
// bounds the loop computed for it, and hands it to a helper.
func scaleParts(xs []float64, workers int) {
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := partBounds(len(xs), workers, w)
		wg.Add(1)
		go func() {
			defer wg.Done()
			scaleAll(xs[lo:hi], 0.5)
		}()
	}
	wg.Wait()
}

func partBounds(n, workers, w int) (int, int) {
	return w * n / workers, (w + 1) * n / workers
}

func scaleAll(part []float64, f float64) {
	for i := range part {
		part[i] *= f
	}
}

// BAD: the goroutine cuts its window with bounds computed once, before
// the loop: every goroutine scales the same part.
func scaleSame(xs []float64, workers int) {
	var wg sync.WaitGroup
	lo, hi := partBounds(len(xs), workers, 0)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			part := xs[lo:hi]
			for i := range part {
				part[i] *= 0.5 // want `unsynchronized write to xs\[\.\.\.\]: goroutines running scaleSame\.func1 may run at once and each writes xs\[\.\.\.\]`
			}
		}()
	}
	wg.Wait()
}
