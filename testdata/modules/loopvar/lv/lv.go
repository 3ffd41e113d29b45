// Package lv shares its loop variables between iterations (go 1.21).
// A goroutine at the end of the loop body that reads one is vet's
// loopclosure finding; sharedaccess leaves it to that check. A read from
// a goroutine elsewhere in the body, which loopclosure does not report,
// is sharedaccess's.
package lv

import "sync"

func Last(xs []int) []int { // want Last:`accesses\(r 0\[\]\)`
	var wg sync.WaitGroup
	out := make([]int, len(xs))
	for i, v := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = v // ok: loopclosure's finding
		}()
	}
	wg.Wait()
	return out
}

func NotLast(xs []int) { // want NotLast:`accesses\(r 0\[\]\)`
	var wg sync.WaitGroup
	for _, v := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = v // want `unsynchronized read of v: the goroutine running NotLast\.func1 reads v, which NotLast writes after the go statement`
		}()
		println()
	}
	wg.Wait()
}
