package api

import (
	"sync"
	"time"
)

// A Start method leaves a polling loop running on its receiver; Stop
// clears the flag the loop polls with no synchronisation.
type Poller struct {
	mu      sync.Mutex
	running bool
	last    time.Time
}

func (p *Poller) Start() { // want Start:"accesses\\(w 0\\.last \\[\\(\\*api\\.Poller\\)\\.mu\\]; w 0\\.running; r 0\\.running\\)"
	p.running = true
	go func() {
		for p.running {
			p.mu.Lock()
			p.last = time.Now()
			p.mu.Unlock()
			time.Sleep(time.Millisecond)
		}
	}()
}

func (p *Poller) Stop() { // want Stop:"accesses\\(w 0\\.running\\)"
	p.running = false // want `unsynchronized write to p.running: the goroutine running \(\*Poller\).Start.func1, which \(\*Poller\).Start leaves running, reads p.running, while the caller may call \(\*Poller\).Stop, which writes it`
}

// The same loop stopped by closing a channel and waiting for it: Stop
// clears the flag only after the loop has returned.
type JoinedPoller struct {
	mu      sync.Mutex
	running bool
	quit    chan struct{}
	done    chan struct{}
	last    time.Time
}

func (p *JoinedPoller) Start() { // want Start:"accesses\\(w 0\\.done before close\\(0\\.done\\); r 0\\.done; w 0\\.last before close\\(0\\.done\\) \\[\\(\\*api\\.JoinedPoller\\)\\.mu\\]; w 0\\.quit before close\\(0\\.done\\); r 0\\.quit; w 0\\.running before close\\(0\\.done\\); r 0\\.running; close 0\\.done; recv 0\\.quit\\)"
	p.running = true
	p.quit = make(chan struct{})
	p.done = make(chan struct{})
	go func() {
		defer close(p.done)
		for p.running {
			select {
			case <-p.quit:
				return
			case <-time.After(time.Millisecond):
			}
			p.mu.Lock()
			p.last = time.Now()
			p.mu.Unlock()
		}
	}()
}

func (p *JoinedPoller) Stop() { // want Stop:"accesses\\(r 0\\.done; r 0\\.quit; w 0\\.running; close 0\\.quit; recv 0\\.done\\)"
	close(p.quit)
	<-p.done
	p.running = false
}

// SetInterval is a setting made before Start: a Start's goroutine is
// paired only with the methods that stop the object.
type Ticker struct {
	every time.Duration
	ticks int
	quit  chan struct{}
}

func (t *Ticker) SetInterval(d time.Duration) { t.every = d } // want SetInterval:"accesses\\(w 0\\.every\\)"

func (t *Ticker) Start() { // want Start:"accesses\\(r 0\\.every; w 0\\.quit; r 0\\.quit; recv 0\\.quit\\)"
	t.quit = make(chan struct{})
	go func() {
		tk := time.NewTicker(t.every)
		defer tk.Stop()
		for {
			select {
			case <-tk.C:
			case <-t.quit:
				return
			}
		}
	}()
}

func (t *Ticker) Stop() { close(t.quit) } // want Stop:"accesses\\(r 0\\.quit; close 0\\.quit\\)"
