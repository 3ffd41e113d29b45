package callbacks

import (
	"slices"
	"sort"
	"sync"
)

// A standard-library call that runs its function argument before it
// returns (sort.Slice, slices.SortFunc): the function runs with the
// caller's locks held.
type Scheduler struct {
	mu   sync.Mutex
	load map[string]int
}

func (s *Scheduler) NodeLoad(n string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.load[n]
}

// BAD: the less function locks s.mu again.
func (s *Scheduler) Place(nodes []string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	sort.Slice(nodes, func(i, j int) bool { // want `double lock: \(\*callbacks.Scheduler\).Place.func1 locks s.mu while it is already held`
		return s.NodeLoad(nodes[i]) < s.NodeLoad(nodes[j])
	})
	return nodes[0]
}

// BAD: the same through slices.SortFunc and a variable.
func (s *Scheduler) PlaceFunc(nodes []string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	byLoad := func(a, b string) int { return s.NodeLoad(a) - s.NodeLoad(b) }
	slices.SortFunc(nodes, byLoad) // want `double lock: \(\*callbacks.Scheduler\).PlaceFunc.func1 locks s.mu while it is already held`
	return nodes[0]
}

// GOOD: the less function reads the map the caller's lock guards.
func (s *Scheduler) PlaceHeld(nodes []string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	sort.Slice(nodes, func(i, j int) bool {
		return s.load[nodes[i]] < s.load[nodes[j]]
	})
	return nodes[0]
}

// GOOD: sorted before the lock is taken.
func (s *Scheduler) PlaceUnlocked(nodes []string) string {
	sort.Slice(nodes, func(i, j int) bool {
		return s.NodeLoad(nodes[i]) < s.NodeLoad(nodes[j])
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load[nodes[0]]++
	return nodes[0]
}
