package regress

import "sync"

// ---- A request channel sized never to fill (database/sql's openerCh,
// a million slots), its size in a package variable that only its
// declaration sets: the same as a constant.

var openerQueue = 1000000

type Opener struct {
	mu      sync.Mutex
	pending int
	opener  chan struct{}
}

func NewOpener() *Opener {
	return &Opener{opener: make(chan struct{}, openerQueue)}
}

func (o *Opener) request() {
	o.mu.Lock()
	o.pending++
	o.opener <- struct{}{}
	o.mu.Unlock()
}

func (o *Opener) run() {
	for range o.opener {
		o.mu.Lock()
		o.pending--
		o.mu.Unlock()
	}
}

// A size that other code may change is not a known buffer.

var workQueue = 1000000

func SetWorkQueue(n int) { workQueue = n }

type Worker struct {
	mu     sync.Mutex
	queued int
	work   chan struct{}
}

func NewWorker() *Worker {
	return &Worker{work: make(chan struct{}, workQueue)}
}

func (w *Worker) request() {
	w.mu.Lock()
	w.queued++
	w.work <- struct{}{} // want `w.mu held across blocking send on w.work`
	w.mu.Unlock()
}

func (w *Worker) run() {
	for range w.work {
	}
}
