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
