package unstoppable

import "sync/atomic"

// Workers range over a jobs channel that nothing closes: Close only
// sets a flag, and every worker waits for ever.
type Dispatcher struct {
	jobs   chan func()
	closed atomic.Bool
}

func NewDispatcher(n int) *Dispatcher {
	d := &Dispatcher{jobs: make(chan func())}
	for range n {
		go d.worker() // want `goroutine leak: the goroutine running \(\*Dispatcher\).worker never returns, so \(\*Dispatcher\).Close cannot end it`
	}
	return d
}

func (d *Dispatcher) worker() {
	for job := range d.jobs {
		job()
	}
}

func (d *Dispatcher) Submit(f func()) bool {
	if d.closed.Load() {
		return false
	}
	d.jobs <- f
	return true
}

func (d *Dispatcher) Close() { d.closed.Store(true) }

// Close closes the jobs channel: the range ends.
type ClosingDispatcher struct {
	jobs chan func()
}

func NewClosingDispatcher(n int) *ClosingDispatcher {
	d := &ClosingDispatcher{jobs: make(chan func())}
	for range n {
		go d.worker()
	}
	return d
}

func (d *ClosingDispatcher) worker() {
	for job := range d.jobs {
		job()
	}
}

func (d *ClosingDispatcher) Submit(f func()) { d.jobs <- f }

func (d *ClosingDispatcher) Close() { close(d.jobs) }

// The channel comes from the caller, who may close it.
type Relay struct {
	in chan func()
}

func NewRelay(in chan func()) *Relay {
	r := &Relay{in: in}
	go r.run()
	return r
}

func (r *Relay) run() {
	for f := range r.in {
		f()
	}
}

func (r *Relay) Close() {}
