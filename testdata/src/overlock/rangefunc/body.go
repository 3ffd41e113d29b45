package rangefunc

import (
	"maps"
	"sync"
)

// A blocking operation in the body of a range-over-func loop that runs
// under a lock: the iterator runs the body inside its call.

type Flusher struct {
	mu      sync.Mutex
	pending map[int]bool
	out     chan int
}

func (f *Flusher) Flush() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for k := range maps.Keys(f.pending) { // want `f.mu held across blocking send on f.out \(via \(\*Flusher\).Flush.func1\)`
		f.out <- k
	}
}

// FlushSafe copies the keys under the lock and sends after releasing it.
func (f *Flusher) FlushSafe() {
	f.mu.Lock()
	keys := maps.Clone(f.pending)
	f.mu.Unlock()
	for k := range maps.Keys(keys) {
		f.out <- k
	}
}
