package loops

import "sync"

// From Go 1.22 each iteration has its own variable.
func newLoop(xs []int) {
	var wg sync.WaitGroup
	for i := 0; i < len(xs); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = xs[i]
		}()
	}
	wg.Wait()
}

// A variable declared outside the loop is shared by all iterations.
func outside(xs []int) int {
	var wg sync.WaitGroup
	var last int
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last = x // want `unsynchronized write to last: goroutines running outside\.func1 may run at once and each writes last`
		}()
	}
	wg.Wait()
	return last
}

// Per-worker shards.
func shards(n int) []int {
	counts := make([]int, n)
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				counts[w]++
			}
		}()
	}
	wg.Wait()
	return counts
}

// Workers draining a channel into a shared map.
func workers(jobs chan string, n int) map[string]int {
	seen := map[string]int{}
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				seen[j]++ // want `unsynchronized write to seen: goroutines running workers\.func1 may run at once and each writes seen`
			}
		}()
	}
	wg.Wait()
	return seen
}

// Spawner waits for each goroutine before starting the next.
func serial(n int) int {
	x := 0
	done := make(chan bool)
	for i := 0; i < n; i++ {
		go func() {
			x++
			done <- true
		}()
		<-done
	}
	return x
}

// fillSkipping fills out[i] itself for the empty chunks and starts a
// goroutine for each of the others: each element has one writer, the
// spawner's writes come in later iterations, with another i.
func fillSkipping(chunks [][]int) [][]int {
	out := make([][]int, len(chunks))
	var wg sync.WaitGroup
	for i := 0; i < len(chunks); i++ {
		if len(chunks[i]) == 0 {
			out[i] = []int{}
			continue
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			out[i] = chunks[i]
		}(i)
	}
	wg.Wait()
	return out
}

func fillSkippingRange(chunks [][]int) [][]int {
	out := make([][]int, len(chunks))
	var wg sync.WaitGroup
	for i := range chunks {
		if len(chunks[i]) == 0 {
			out[i] = []int{}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = chunks[i]
		}()
	}
	wg.Wait()
	return out
}

// fillTwice writes the goroutine's own element after starting it, in
// the same iteration.
func fillTwice(chunks [][]int) [][]int {
	out := make([][]int, len(chunks))
	var wg sync.WaitGroup
	for i := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = chunks[i] // want `unsynchronized write to out\[\.\.\.\]: the goroutine running fillTwice\.func1 writes out\[\.\.\.\], which fillTwice writes after the go statement`
		}()
		out[i] = nil
	}
	wg.Wait()
	return out
}
