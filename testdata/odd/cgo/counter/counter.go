// Package counter calls C from goroutines: one counter is shared without
// a lock, its twin is guarded.
package counter

/*
static int twice(int x) { return 2 * x; }
*/
import "C"

import "sync"

// Hits is written by every goroutine that BadCount starts.
type Hits struct {
	mu sync.Mutex
	n  int
}

// BadCount adds C's result to h.n from n goroutines with no lock.
func BadCount(h *Hits, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.n += int(C.twice(C.int(i)))
		}()
	}
	wg.Wait()
}

// GoodCount does the same under h.mu.
func GoodCount(h *Hits, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := int(C.twice(C.int(i)))
			h.mu.Lock()
			h.n += v
			h.mu.Unlock()
		}()
	}
	wg.Wait()
}
