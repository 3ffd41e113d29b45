package sa2001

import "sync"

var mu sync.Mutex
var n int

func bad() {
	mu.Lock()
	mu.Unlock() // want `empty critical section`
}

func good() {
	mu.Lock()
	n++
	mu.Unlock()
}

var rw sync.RWMutex

func badRead() {
	rw.RLock()
	rw.RUnlock() // want `empty critical section`
}

func goodRead() int {
	rw.RLock()
	defer rw.RUnlock()
	return n
}
