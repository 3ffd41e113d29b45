// Package extonly_test is an external test package with no package
// under test beside it.
package extonly_test

import (
	"sync"
	"testing"
)

// TestLockOrder takes two locks in both orders.
func TestLockOrder(t *testing.T) {
	var a, b struct {
		mu sync.Mutex
		n  int
	}
	ab := func() {
		a.mu.Lock()
		b.mu.Lock()
		b.n++
		b.mu.Unlock()
		a.mu.Unlock()
	}
	ba := func() {
		b.mu.Lock()
		a.mu.Lock()
		a.n++
		a.mu.Unlock()
		b.mu.Unlock()
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); ab() }()
	go func() { defer wg.Done(); ba() }()
	wg.Wait()
}
