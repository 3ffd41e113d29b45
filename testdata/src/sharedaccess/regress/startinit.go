package regress

import "sync"

// Start sets up the map its goroutine shares under the lock, then starts
// the goroutine: the go statement publishes the fresh map.
type Relay struct {
	mu    sync.Mutex
	conns map[string]int // want conns:"guarded\\(mu\\)"
	in    chan string
}

func (r *Relay) Start() { // want Start:`accesses\(w 0\.conns; r 0\.conns \[\(\*regress\.Relay\)\.mu\]; w 0\.conns\{\} \[\(\*regress\.Relay\)\.mu\]; r 0\.conns\{\} \[\(\*regress\.Relay\)\.mu\]; w 0\.in; r 0\.in; recv 0\.in\)`
	r.conns = make(map[string]int)
	r.in = make(chan string)
	go r.run()
}

func (r *Relay) run() {
	for a := range r.in {
		r.mu.Lock()
		r.conns[a]++
		r.mu.Unlock()
	}
}

func (r *Relay) Count(a string) int { // want Count:"accesses\\(r 0\\.conns \\[\\(\\*regress\\.Relay\\)\\.mu\\]\\; r 0\\.conns\\{\\} \\[\\(\\*regress\\.Relay\\)\\.mu\\]\\)"
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.conns[a]
}

// Reset replaces the map without the lock while run may use it.
func (r *Relay) Reset() { // want Reset:"accesses\\(w 0\\.conns\\)"
	r.conns = make(map[string]int) // want `unsynchronized write to r.conns: \(\*Relay\).Reset writes it without r.mu`
}
