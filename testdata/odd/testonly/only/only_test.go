// Package only has no non-test files: its tests are all there is.
package only

import (
	"sync"
	"testing"
)

type tally struct {
	mu sync.Mutex
	n  int
}

func (t *tally) add() {
	t.mu.Lock()
	t.n++
	t.mu.Unlock()
}

// TestRacy reads t.n while the goroutine it started adds to it.
func TestRacy(t *testing.T) {
	var c tally
	go c.add()
	if c.n > 1 {
		t.Error("too many")
	}
}

// TestFatalInGoroutine calls t.Fatal from a goroutine it started.
func TestFatalInGoroutine(t *testing.T) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t.Fatal("from a goroutine")
	}()
	<-done
}

// TestOK waits for the goroutine before reading.
func TestOK(t *testing.T) {
	var c tally
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c.add()
	}()
	wg.Wait()
	if c.n != 1 {
		t.Errorf("n = %d", c.n)
	}
}
