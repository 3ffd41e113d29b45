package recall

import (
	"sort"
	"sync"
)

// sync.Map.Range calls its function on the goroutine that ranges.
func badMapRange(m *sync.Map) int {
	seen := 0
	done := make(chan struct{})
	go func() {
		m.Range(func(k, v any) bool {
			seen++ // want `unsynchronized write to seen: the goroutine running badMapRange\.func1 writes seen, which badMapRange reads after the go statement`
			return true
		})
		close(done)
	}()
	n := seen
	<-done
	return n
}

func goodMapRange(m *sync.Map) int {
	seen := 0
	done := make(chan struct{})
	go func() {
		m.Range(func(k, v any) bool {
			seen++
			return true
		})
		close(done)
	}()
	<-done
	return seen
}

// Sorting compares on the caller's goroutine, while another writes.
func badSortWhileWriting(xs []int) {
	go func() {
		for i := range xs {
			xs[i] = 0 // want `unsynchronized write to xs\[\.\.\.\]: the goroutine running badSortWhileWriting\.func1 writes xs\[\.\.\.\], which badSortWhileWriting reads after the go statement`
		}
	}()
	sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })
}
