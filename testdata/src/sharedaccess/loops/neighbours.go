package loops

import "sync"

type stage struct {
	running bool
	out     chan int
}

func (s *stage) run() { s.running = true } // want `unsynchronized write to stages\[\.\.\.\]\.running: the goroutine running \(\*stage\)\.run writes stages\[\.\.\.\]\.running, which another goroutine running \(\*stage\)\.run writes`

// GOOD: the new last stage and the one before it are different
// elements, each run by its own goroutine.
func extend(stages []*stage) []*stage {
	i := len(stages)
	stages = append(stages, &stage{})
	go stages[i].run()
	go stages[i-1].run()
	return stages
}

// BAD: both goroutines run the same stage.
func rerun(stages []*stage) {
	i := len(stages) - 1
	go stages[i].run()
	go stages[i].run()
}

type shard struct {
	wake chan struct{}
	n    int
}

// GOOD: each shard's channel is made before its own goroutine starts,
// and the goroutine touches only its shard.
func startShards(shards []shard, wg *sync.WaitGroup) {
	for i := range shards {
		shards[i].wake = make(chan struct{})
		wg.Add(1)
		go func(s *shard) {
			defer wg.Done()
			<-s.wake
			s.n++
		}(&shards[i])
	}
}

// rangeAlias ranges in a goroutine over another name for the slice
// that its starter then changes: the element loads of a range over a
// slice have no position of their own; the finding takes the nearest.
func rangeAlias(ws []int, out chan<- int) {
	alias := ws
	go func() {
		t := 0
		for _, w := range alias {
			t += w // want `unsynchronized read of ws\[\.\.\.\]: the goroutine running rangeAlias.func1 reads ws\[\.\.\.\], which rangeAlias writes after the go statement`
		}
		out <- t
	}()
	for i := range ws {
		ws[i] = 1
	}
}
