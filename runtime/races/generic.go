package races

import "sync"

// BadBatch collects the results of concurrent producers of any type
// into one slice with no lock: the appends race.
type BadBatch[T any] struct {
	items []T
}

func (b *BadBatch[T]) add(v T) {
	b.items = append(b.items, v) // race: BadBatch
}

// Collect runs every producer in its own goroutine and returns what
// they produced.
func (b *BadBatch[T]) Collect(producers []func() T) []T {
	var wg sync.WaitGroup
	for _, p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.add(p())
		}()
	}
	wg.Wait()
	return b.items
}

// GoodBatchMutex guards its slice with a mutex.
type GoodBatchMutex[T any] struct {
	mu    sync.Mutex
	items []T
}

func (b *GoodBatchMutex[T]) add(v T) {
	b.mu.Lock()
	b.items = append(b.items, v)
	b.mu.Unlock()
}

// Collect runs every producer in its own goroutine and returns what
// they produced.
func (b *GoodBatchMutex[T]) Collect(producers []func() T) []T {
	var wg sync.WaitGroup
	for _, p := range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.add(p())
		}()
	}
	wg.Wait()
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.items
}
