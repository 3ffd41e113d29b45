package races

import (
	"sync"
	"sync/atomic"
)

// BadCounter counts to workers*n from several goroutines that all
// increment one captured int without synchronization. The increments
// race: some are lost and the total comes out short.
func BadCounter(workers, n int) int {
	count := 0
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				count++ // race: BadCounter
			}
		}()
	}
	wg.Wait()
	return count
}

// GoodCounterMutex lets one goroutine at a time touch count. Correct,
// but the goroutines queue on mu instead of running in parallel.
func GoodCounterMutex(workers, n int) int {
	var (
		mu    sync.Mutex
		count int
		wg    sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				mu.Lock()
				count++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return count
}

// GoodCounterAtomic increments with one atomic read-modify-write.
func GoodCounterAtomic(workers, n int) int {
	var count atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				count.Add(1)
			}
		}()
	}
	wg.Wait()
	return int(count.Load())
}

// GoodCounterShards partitions the count: each goroutine counts in its
// own variable and stores the result in its own slot; the slots are
// summed after Wait, when no goroutine writes any more.
func GoodCounterShards(workers, n int) int {
	counts := make([]int, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := 0
			for range n {
				local++
			}
			counts[w] = local
		}()
	}
	wg.Wait()
	total := 0
	for _, c := range counts {
		total += c
	}
	return total
}

// GoodCounterOwner gives count one owner goroutine; the workers send it
// their increments over a channel and never touch count themselves.
func GoodCounterOwner(workers, n int) int {
	incs := make(chan int)
	result := make(chan int)
	go func() {
		count := 0
		for d := range incs {
			count += d
		}
		result <- count
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				incs <- 1
			}
		}()
	}
	wg.Wait()
	close(incs)
	return <-result
}
