package regress

import "sync"

// A flag cleared by a Reset method without the lock: the constant false
// is a zero value like 0 and nil (the check once crashed on it).
type Firing struct {
	mu    sync.Mutex
	fired bool // want fired:"guarded\\(mu\\)"
}

func (r *Firing) Fire() { // want Fire:"accesses\\(w 0.fired \\[\\(\\*regress.Firing\\).mu\\]; r 0.fired \\[\\(\\*regress.Firing\\).mu\\]\\)"
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fired {
		return
	}
	r.fired = true
}

func (r *Firing) Reset() { // want Reset:"accesses\\(w 0.fired\\)"
	r.fired = false
}
