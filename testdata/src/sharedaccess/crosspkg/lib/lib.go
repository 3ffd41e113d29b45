package lib

import (
	"errors"
	"sync"
)

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

// Sub's Subject is set by NewSub and rewritten under mu only by Rewire;
// the package itself reads it without mu where it knows no Rewire runs.
type Sub struct {
	mu      sync.Mutex
	Subject string // want Subject:"guarded\\(mu\\)"
}

func NewSub(s string) *Sub { return &Sub{Subject: s} }

func (s *Sub) Rewire(suffix string) { // want Rewire:"accesses\\(w 0\\.Subject \\[\\(\\*lib\\.Sub\\)\\.mu\\]; r 0\\.Subject \\[\\(\\*lib\\.Sub\\)\\.mu\\]\\)"
	s.mu.Lock()
	s.Subject = s.Subject + suffix
	s.mu.Unlock()
}

func (s *Sub) Retag(tag string) { // want Retag:"accesses\\(w 0\\.Subject \\[\\(\\*lib\\.Sub\\)\\.mu\\]; r 0\\.Subject \\[\\(\\*lib\\.Sub\\)\\.mu\\]\\)"
	s.mu.Lock()
	s.Subject = tag + s.Subject
	s.mu.Unlock()
}

func (s *Sub) label() string { return "sub " + s.Subject }

// Server's err is written before stopped is closed, and Accept reads it
// after receiving from stopped.
type Server struct {
	mu      sync.Mutex
	err     error
	stopped chan struct{}
}

func NewServer() *Server { return &Server{stopped: make(chan struct{})} }

func (s *Server) Close() { // want Close:`accesses\(r g:sharedaccess/crosspkg/lib\.errClosed \[\(\*lib\.Server\)\.mu\]; w 0\.err before close\(0\.stopped\) \[\(\*lib\.Server\)\.mu\]; r 0\.stopped; close 0\.stopped\)`
	s.mu.Lock()
	s.err = errClosed
	s.mu.Unlock()
	close(s.stopped)
}

func (s *Server) Accept() error { // want Accept:`accesses\(r 0\.stopped; recv 0\.stopped\)`
	<-s.stopped
	return s.err
}

var errClosed = errors.New("closed")

// Table's Index is replaced whole by Load, which builds it in a scratch
// Table first; the scratch value's fields are no evidence that mu
// guards Index more than that one setter says.
type Table struct {
	mu    sync.RWMutex
	Index []string
}

func (t *Table) Load(names []string) { // want Load:"accesses\\(w 0\\.Index \\[\\(\\*lib\\.Table\\)\\.mu\\]; r 1\\[\\]\\)"
	var n Table
	n.fill(names)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.Index = n.Index
}

func (t *Table) fill(names []string) { t.Index = append(t.Index, names...) }

func (t *Table) Lookup(i int) string { // want Lookup:"accesses\\(r 0\\.Index \\[\\(\\*lib\\.Table\\)\\.mu\\]; r 0\\.Index\\[\\] \\[\\(\\*lib\\.Table\\)\\.mu\\]\\)"
	t.mu.RLock()
	defer t.mu.RUnlock()
	if i >= len(t.Index) {
		return ""
	}
	return t.Index[i]
}
