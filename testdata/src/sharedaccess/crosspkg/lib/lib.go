package lib

import "sync"

type Stats struct {
	mu   sync.Mutex
	Hits int // want Hits:"guarded\\(mu\\)"
}

func (s *Stats) Hit() { // want Hit:"accesses\\(w 0\\.Hits \\[\\(\\*lib\\.Stats\\)\\.mu\\]; r 0\\.Hits \\[\\(\\*lib\\.Stats\\)\\.mu\\]\\)"
	s.mu.Lock()
	s.Hits++
	s.mu.Unlock()
}

func (s *Stats) Snapshot() int { // want Snapshot:"accesses\\(r 0\\.Hits \\[\\(\\*lib\\.Stats\\)\\.mu\\]\\)"
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Hits
}

// Async runs f on a new goroutine.
func Async(f func()) {
	go f()
}

// Worker updates w.n from a goroutine started by Start.
type Worker struct{ N int }

func (w *Worker) Run() { w.N++ } // want Run:"accesses\\(w 0\\.N; r 0\\.N\\)"
