package sa2003

import "sync"

var mu sync.Mutex
var n int

func bad() {
	mu.Lock()
	defer mu.Lock() // want `deferring Lock right after having locked already`
	n++
}

func good() {
	mu.Lock()
	defer mu.Unlock()
	n++
}
