package waitgroup

import "sync"

type item struct{ name string }

func use(it *item) {}

// BAD: a nil item is skipped after the Add counted it.
func processAll(items []*item) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, it := range items {
		if it == nil {
			continue
		}
		go func() {
			defer wg.Done()
			use(it)
		}()
	}
	wg.Wait() // want `goroutine leak: wg.Wait blocks for ever when an item is skipped: the Add counts every item, but an iteration can go on without starting the goroutine that calls Done`
}

// GOOD: the skipped item is marked done.
func processAllDone(items []*item) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, it := range items {
		if it == nil {
			wg.Done()
			continue
		}
		go func() {
			defer wg.Done()
			use(it)
		}()
	}
	wg.Wait()
}

// GOOD: every item gets its goroutine.
func processEvery(items []*item) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, it := range items {
		go func() {
			defer wg.Done()
			use(it)
		}()
	}
	wg.Wait()
}
