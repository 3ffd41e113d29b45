package recall

import "sync"

// parallelize runs work(piece) for every piece on several workers.
func parallelize(workers, pieces int, work func(piece int)) {
	next := make(chan int, pieces)
	for i := 0; i < pieces; i++ {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	wg.Add(workers)
	for i := 0; i < workers; i++ {
		go func() {
			defer wg.Done()
			for piece := range next {
				work(piece)
			}
		}()
	}
	wg.Wait()
}

type scorer struct {
	mu     sync.Mutex
	scored int // want scored:"guarded\\(mu\\)"
}

// The callback runs on several workers at once.
func (s *scorer) badWorkers(n int) {
	parallelize(4, n, func(piece int) {
		s.scored++ // want `unsynchronized write to s\.scored: goroutines running parallelize\.func1 may run at once and each writes s\.scored`
	})
}

func (s *scorer) goodWorkersLocked(n int) {
	parallelize(4, n, func(piece int) {
		s.mu.Lock()
		s.scored++
		s.mu.Unlock()
	})
}

// Each piece writes its own element.
func goodWorkersPerPiece(n int) []int {
	out := make([]int, n)
	parallelize(4, n, func(piece int) {
		out[piece] = piece * 2
	})
	return out
}

// sequential runs work for every piece, one at a time.
func sequential(pieces int, work func(piece int)) {
	for i := 0; i < pieces; i++ {
		done := make(chan struct{})
		go func() {
			work(i)
			close(done)
		}()
		<-done
	}
}

func goodSequential(n int) int {
	total := 0
	sequential(n, func(piece int) {
		total += piece
	})
	return total
}
