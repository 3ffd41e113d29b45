package loops

import (
	"maps"
	"slices"
	"sync"
)

// Goroutines started in the body of a range-over-func loop: the body
// runs once per element, so they are as many as in a range loop.

func badRangeFuncSum(m map[int]bool) int {
	n := 0
	var wg sync.WaitGroup
	for k := range maps.Keys(m) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n += k // want `unsynchronized write to n: goroutines running badRangeFuncSum\.func1\.func1 may run at once and each writes n`
		}()
	}
	wg.Wait()
	return n
}

// goodRangeFuncSum counts under a lock.
func goodRangeFuncSum(m map[int]bool) int {
	n := 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	for k := range maps.Keys(m) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			n += k
			mu.Unlock()
		}()
	}
	wg.Wait()
	return n
}

// goodRangeFuncPartition gives each goroutine its own element.
func goodRangeFuncPartition(xs []int) []int {
	out := make([]int, len(xs))
	var wg sync.WaitGroup
	for i, x := range slices.All(xs) {
		wg.Add(1)
		go func() { defer wg.Done(); out[i] = x * 2 }()
	}
	wg.Wait()
	return out
}

type counter struct{ v int }

// goodRangeFuncElems updates each element on its own goroutine.
func goodRangeFuncElems(cs []*counter) {
	var wg sync.WaitGroup
	for _, c := range slices.All(cs) {
		wg.Add(1)
		go func() { defer wg.Done(); c.v++ }()
	}
	wg.Wait()
}
