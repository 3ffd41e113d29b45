// Package runner sets its state before it closes the channel its Ready
// getter returns.
package runner

type Router struct {
	Running bool
	Addr    string
	ready   chan struct{}
}

func New() *Router { return &Router{ready: make(chan struct{})} }

func (r *Router) Run() { // want Run:`accesses\(w 0\.Addr before close\(0\.ready\); w 0\.Running before close\(0\.ready\); r 0\.ready; close 0\.ready\)`
	r.Running = true
	r.Addr = "local"
	close(r.ready)
}

func (r *Router) Ready() <-chan struct{} { return r.ready } // want Ready:`accesses\(r 0\.ready\)` Ready:`changetter\(0\.ready\)`
