package races

import "sync"

// BadCollect squares its inputs concurrently and appends every result
// to one shared slice. The appends race on the slice header and its
// backing array: results are lost or overwritten.
func BadCollect(in []int) []int {
	var out []int
	var wg sync.WaitGroup
	for _, v := range in {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out = append(out, v*v) // race: BadCollect
		}()
	}
	wg.Wait()
	return out
}

// GoodCollectMutex appends under a mutex (in completion order).
func GoodCollectMutex(in []int) []int {
	var (
		mu  sync.Mutex
		out []int
		wg  sync.WaitGroup
	)
	for _, v := range in {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sq := v * v
			mu.Lock()
			out = append(out, sq)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// GoodCollectIndexed allocates the result first and lets goroutine i
// write only out[i]: a partition of the slice, no lock, input order
// kept.
func GoodCollectIndexed(in []int) []int {
	out := make([]int, len(in))
	var wg sync.WaitGroup
	for i, v := range in {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = v * v
		}()
	}
	wg.Wait()
	return out
}

// GoodCollectChannel has the goroutines send their results to the
// caller, the slice's only writer.
func GoodCollectChannel(in []int) []int {
	results := make(chan int)
	for _, v := range in {
		go func() {
			results <- v * v
		}()
	}
	out := make([]int, 0, len(in))
	for range in {
		out = append(out, <-results)
	}
	return out
}
