// Package plain sets up with no trouble; it is analysed as usual.
package plain

import "sync"

// Box is guarded by mu.
type Box struct {
	mu sync.Mutex
	v  int
}

// Await holds b.mu while it waits for ready.
func (b *Box) Await(ready chan int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.v = <-ready
}
