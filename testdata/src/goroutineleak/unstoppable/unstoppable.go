// Package unstoppable: goroutines that their type's Close cannot end.
package unstoppable

import (
	"sync"
	"time"
)

// Pool's workers loop for ever; Stop cannot reach them.
type Pool struct {
	jobs chan func()
}

func NewPool(n int) *Pool {
	p := &Pool{jobs: make(chan func())}
	for i := 0; i < n; i++ {
		go p.work() // want `goroutine leak: the goroutine running \(\*Pool\)\.work never returns, so \(\*Pool\)\.Stop cannot end it: give its loop a way out \(a done channel or context that Stop closes\)`
	}
	return p
}

func (p *Pool) work() {
	for {
		f := <-p.jobs
		f()
	}
}

func (p *Pool) Do(f func()) { p.jobs <- f }

func (p *Pool) Stop() {}

// Janitor ranges over a ticker's channel, which is never closed.
type Janitor struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

func NewJanitor(every time.Duration) *Janitor {
	j := &Janitor{seen: map[string]time.Time{}}
	t := time.NewTicker(every)
	go func() { // want `goroutine leak: the goroutine running NewJanitor\.func1 never returns, so \(\*Janitor\)\.Close cannot end it`
		for range t.C {
			j.mu.Lock()
			clear(j.seen)
			j.mu.Unlock()
		}
	}()
	return j
}

func (j *Janitor) Close() error { return nil }

// Sweeper's loop returns when Close closes done.
type Sweeper struct {
	done chan struct{}
}

func NewSweeper(every time.Duration) *Sweeper {
	s := &Sweeper{done: make(chan struct{})}
	go s.loop(every)
	return s
}

func (s *Sweeper) loop(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-s.done:
			return
		}
	}
}

func (s *Sweeper) Close() { close(s.done) }

// Daemon runs for ever by design and promises no end: no Close.
type Daemon struct{ n int }

func NewDaemon() *Daemon {
	d := &Daemon{}
	go func() {
		for range time.Tick(time.Second) {
		}
	}()
	return d
}

// Pinger embeds a closer: its Close is the connection's, not a promise
// about the pinger's own goroutine.
type Pinger struct {
	conn
}

type conn struct{}

func (conn) Close() error { return nil }

func NewPinger() *Pinger {
	p := &Pinger{}
	go func() {
		for range time.Tick(time.Second) {
		}
	}()
	return p
}
