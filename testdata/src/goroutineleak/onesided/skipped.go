package onesided

import (
	"errors"
	"sync"
	"time"
)

var errBind = errors.New("bind")

func bind(addr string) error {
	if addr == "" {
		return errBind
	}
	return nil
}

// Listener's serve loop closes done at the end, but returns before it on
// a bind error: Close waits for ever.
type Listener struct {
	addr string
	quit chan struct{}
	done chan struct{}
}

func NewListener(addr string) *Listener {
	l := &Listener{addr: addr, quit: make(chan struct{}), done: make(chan struct{})}
	go l.serve()
	return l
}

func (l *Listener) serve() {
	if err := bind(l.addr); err != nil {
		return
	}
	<-l.quit
	close(l.done)
}

func (l *Listener) Close() {
	close(l.quit)
	<-l.done // want `goroutine leak: the receive from done in \(\*Listener\)\.Close blocks for ever when the goroutine running \(\*Listener\)\.serve returns without closing done, and nothing else closes it or sends on it`
}

// Server closes done on every way out.
type Server struct {
	addr string
	quit chan struct{}
	done chan struct{}
}

func NewServer(addr string) *Server {
	s := &Server{addr: addr, quit: make(chan struct{}), done: make(chan struct{})}
	go s.serve()
	return s
}

func (s *Server) serve() {
	defer close(s.done)
	if err := bind(s.addr); err != nil {
		return
	}
	<-s.quit
}

func (s *Server) Close() {
	close(s.quit)
	<-s.done
}

// Worker skips the close too, but Stop gives up after a second.
type Worker struct {
	quit chan struct{}
	done chan struct{}
}

func NewWorker(addr string) *Worker {
	w := &Worker{quit: make(chan struct{}), done: make(chan struct{})}
	go w.run(addr)
	return w
}

func (w *Worker) run(addr string) {
	if bind(addr) != nil {
		return
	}
	<-w.quit
	close(w.done)
}

func (w *Worker) Stop() {
	close(w.quit)
	select {
	case <-w.done:
	case <-time.After(time.Second):
	}
}

// Group's goroutines count themselves; the last one to finish closes
// joined. The others return without closing it by design.
type Group struct {
	mu       sync.Mutex
	routines int
	joined   chan struct{}
}

func NewGroup() *Group { return &Group{joined: make(chan struct{})} }

func (g *Group) Go(fn func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.routines++
	go func() {
		fn()
		g.mu.Lock()
		g.routines--
		if g.routines == 0 {
			close(g.joined)
		}
		g.mu.Unlock()
	}()
}

func (g *Group) Wait() {
	g.mu.Lock()
	n := g.routines
	g.mu.Unlock()
	if n > 0 {
		<-g.joined
	}
}
