package guards

import (
	"os"
	"sync"
	"testing"
)

func TestHammer(t *testing.T) { // ok: tests exercise the mutex itself
	var mu sync.Mutex
	for i := 0; i < 10; i++ {
		mu.Lock()
		mu.Unlock()
	}
}

// A test's own lock held, in the test's callback, across a file read: a
// delay in a test, not a wait on anyone.
func connectWith(cb func() string) { go cb() }

func TestCallbackReadsFile(t *testing.T) {
	count := 0
	var mu sync.Mutex
	connectWith(func() string {
		mu.Lock()
		defer mu.Unlock()
		count++
		b, _ := os.ReadFile("token")
		return string(b)
	})
	mu.Lock()
	_ = count
	mu.Unlock()
}

// The same lock held across a send that the test itself must receive:
// the callback waits on the test while the test waits for the lock.
func TestCallbackSends(t *testing.T) {
	var mu sync.Mutex
	got := make(chan string)
	connectWith(func() string {
		mu.Lock()
		defer mu.Unlock()
		got <- "called" // want `mu held across blocking send on got; in a test`
		return ""
	})
	mu.Lock()
	<-got
	mu.Unlock()
}
