//go:build ignore

package tagged

import "sync"

// never is in no build: its double lock must not be reported.
func never(mu *sync.Mutex) {
	mu.Lock()
	mu.Lock()
}
