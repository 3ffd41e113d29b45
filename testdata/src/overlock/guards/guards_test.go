package guards

import (
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
