package regress

import "sync"

// A constructor that puts a constant number of tokens into a channel it
// has just made with a constant buffer at least that large: the sends
// cannot block, though the constructor runs under a registry's lock.
// Its twin puts more tokens in than the buffer holds.

type cfWorker struct {
	tokens chan struct{}
}

func newCFWorker() *cfWorker {
	w := &cfWorker{}
	w.tokens = make(chan struct{}, 5)
	for range 4 {
		w.tokens <- struct{}{}
	}
	return w
}

func newCFWorkerFull() *cfWorker {
	w := &cfWorker{}
	w.tokens = make(chan struct{}, 3)
	for i := 0; i < 4; i++ {
		w.tokens <- struct{}{}
	}
	return w
}

type cfRegistry struct {
	mu      sync.Mutex
	workers map[int]*cfWorker
}

func (r *cfRegistry) get(id int) *cfWorker {
	r.mu.Lock()
	defer r.mu.Unlock()
	w, ok := r.workers[id]
	if !ok {
		w = newCFWorker()
		r.workers[id] = w
	}
	return w
}

func (r *cfRegistry) getFull(id int) *cfWorker {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := newCFWorkerFull() // want `r.mu held across blocking send on w.tokens`
	r.workers[id] = w
	return w
}

// One make per branch: the tokens go into the channel of the branch
// they are in, made with room for them.
func newCFWorkerMode(limit int, strict bool) *cfWorker {
	w := &cfWorker{}
	if strict {
		w.tokens = make(chan struct{}, limit)
	} else {
		w.tokens = make(chan struct{}, 5)
		for range 4 {
			w.tokens <- struct{}{}
		}
	}
	return w
}

func newCFWorkerModeFull(limit int, strict bool) *cfWorker {
	w := &cfWorker{}
	if strict {
		w.tokens = make(chan struct{}, limit)
	} else {
		w.tokens = make(chan struct{}, 2)
	}
	for range 4 {
		w.tokens <- struct{}{}
	}
	return w
}

func (r *cfRegistry) getMode(id int, strict bool) *cfWorker {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := newCFWorkerMode(id, strict)
	r.workers[id] = w
	return w
}

func (r *cfRegistry) getModeFull(id int, strict bool) *cfWorker {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := newCFWorkerModeFull(id, strict) // want `r.mu held across blocking send on w.tokens`
	r.workers[id] = w
	return w
}
