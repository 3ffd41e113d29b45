package gates

import "sync"

// Two cycles through one edge (Worker.mu, then Registry.mu) make one
// finding: breaking that edge breaks both.

type Registry struct{ mu sync.Mutex }
type Worker struct{ mu sync.Mutex }
type Stats struct{ mu sync.Mutex }
type Log struct{ mu sync.Mutex }

func (w *Worker) report(r *Registry) {
	w.mu.Lock()
	defer w.mu.Unlock()
	r.mu.Lock() // want `lock order cycle .* \(and 1 more cycle through Worker.mu → Registry.mu\)`
	r.mu.Unlock()
}

func (r *Registry) stats(s *Stats) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s.mu.Lock()
	s.mu.Unlock()
}

func (r *Registry) log(l *Log) {
	r.mu.Lock()
	defer r.mu.Unlock()
	l.mu.Lock()
	l.mu.Unlock()
}

func (s *Stats) poke(w *Worker) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w.mu.Lock()
	w.mu.Unlock()
}

func (l *Log) poke(w *Worker) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w.mu.Lock()
	w.mu.Unlock()
}
