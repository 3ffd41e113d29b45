// Package seq locks and unlocks inside the bodies of range-over-func
// loops, leaving them by break, return and continue.
package seq

import (
	"iter"
	"sync"
)

// Set is a set of ints guarded by mu.
type Set struct {
	mu    sync.Mutex
	items []int
	hits  int
}

// All yields the items of a snapshot taken under s.mu.
func (s *Set) All() iter.Seq[int] {
	return func(yield func(int) bool) {
		s.mu.Lock()
		items := append([]int(nil), s.items...)
		s.mu.Unlock()
		for _, x := range items {
			if !yield(x) {
				return
			}
		}
	}
}

// Pairs yields each item with its index.
func (s *Set) Pairs() iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		for i := range s.All() {
			if !yield(i, i) {
				return
			}
		}
	}
}

// BadIndex returns from inside the loop body with s.mu still held.
func (s *Set) BadIndex(want int) int {
	i := 0
	for x := range s.All() {
		s.mu.Lock()
		if x == want {
			return i
		}
		s.hits++
		s.mu.Unlock()
		i++
	}
	return -1
}

// GoodIndex unlocks before it returns.
func (s *Set) GoodIndex(want int) int {
	i := 0
	for x := range s.All() {
		s.mu.Lock()
		if x == want {
			s.mu.Unlock()
			return i
		}
		s.hits++
		s.mu.Unlock()
		i++
	}
	return -1
}

// GoodFindDefer unlocks in a deferred call of a helper.
func (s *Set) GoodFindDefer(want int) bool {
	for x := range s.All() {
		if s.bump(x, want) {
			return true
		}
	}
	return false
}

func (s *Set) bump(x, want int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits++
	return x == want
}

// GoodBreak breaks out of a nested loop after unlocking, and continues
// past odd items.
func (s *Set) GoodBreak(limit int) int {
	n := 0
outer:
	for i, x := range s.Pairs() {
		for y := range s.All() {
			s.mu.Lock()
			if x%2 == 1 {
				s.mu.Unlock()
				continue outer
			}
			if i+y > limit {
				s.mu.Unlock()
				break outer
			}
			n++
			s.mu.Unlock()
		}
	}
	return n
}

// BadCount counts in goroutines started from the loop body, with no lock.
func (s *Set) BadCount() int {
	var wg sync.WaitGroup
	count := 0
	for x := range s.All() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			count += x
		}()
	}
	wg.Wait()
	return count
}

// GoodCount counts under s.mu.
func (s *Set) GoodCount() int {
	var wg sync.WaitGroup
	count := 0
	for x := range s.All() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.mu.Lock()
			count += x
			s.mu.Unlock()
		}()
	}
	wg.Wait()
	return count
}

// BadYieldLocked holds s.mu while the loop body runs: a body that
// locks s.mu deadlocks, as InnerLock does.
func (s *Set) BadYieldLocked() iter.Seq[int] {
	return func(yield func(int) bool) {
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, x := range s.items {
			if !yield(x) {
				return
			}
		}
	}
}

// InnerLock locks s.mu in the body of a loop over BadYieldLocked.
func (s *Set) InnerLock() {
	for range s.BadYieldLocked() {
		s.mu.Lock()
		s.hits++
		s.mu.Unlock()
	}
}
