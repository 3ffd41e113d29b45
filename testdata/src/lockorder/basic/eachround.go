package basic

import "sync"

// collect locks and unlocks each bucket in turn (on either path of the
// round): it holds none when it returns, so calling it in a loop locks nothing twice.
type bucketSet struct {
	buckets []struct {
		mu sync.Mutex
		n  int
	}
}

func (s *bucketSet) collect() int {
	total := 0
	for i := range s.buckets {
		s.buckets[i].mu.Lock()
		if s.buckets[i].n == 0 {
			s.buckets[i].mu.Unlock()
			continue
		}
		total += s.buckets[i].n
		s.buckets[i].mu.Unlock()
	}
	return total
}

func (s *bucketSet) collectAll(rounds int) int {
	t := 0
	for range rounds {
		t += s.collect() // ok: each bucket unlocked in its round
	}
	return t
}

// snapshot locks every bucket and unlocks each as it returns (deferred
// in the loop): calling it in a loop holds nothing across rounds.
func (s *bucketSet) snapshot() []int {
	for i := range s.buckets {
		s.buckets[i].mu.Lock()
		defer s.buckets[i].mu.Unlock()
	}
	out := make([]int, len(s.buckets))
	for i := range s.buckets {
		out[i] = s.buckets[i].n
	}
	return out
}

func (s *bucketSet) snapshots(rounds int) [][]int {
	var all [][]int
	for range rounds {
		all = append(all, s.snapshot()) // ok: unlocked as snapshot returns
	}
	return all
}

// freeze locks every bucket and leaves them locked: calling it in a loop
// locks them again while they are held.
func (s *bucketSet) freeze() {
	for i := range s.buckets {
		s.buckets[i].mu.Lock()
	}
}

func (s *bucketSet) freezeTwice(rounds int) {
	for range rounds {
		s.freeze() // want `double lock: s\.buckets\[\*\]\.mu locked by \(\*basic\.bucketSet\)\.freeze again on the next loop iteration while it may still be held: nothing in the loop unlocks it`
	}
}
