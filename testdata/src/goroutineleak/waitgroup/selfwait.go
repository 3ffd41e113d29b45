package waitgroup

import (
	"errors"
	"sync"
)

var errFatal = errors.New("fatal")

// A poller's workers call Stop on a fatal error; Stop waits for every
// worker, the calling one among them, whose deferred Done has not run.
type badPoller struct {
	wg   sync.WaitGroup
	stop chan struct{}
	once sync.Once
	poll func() error
}

func (p *badPoller) start(n int) {
	for range n {
		p.wg.Add(1)
		go p.loop()
	}
}

func (p *badPoller) loop() {
	defer p.wg.Done()
	for {
		select {
		case <-p.stop:
			return
		default:
		}
		if err := p.poll(); errors.Is(err, errFatal) {
			p.shutdown() // want `goroutine leak: the goroutine running \(\*badPoller\)\.loop waits on p\.wg \(through \(\*badPoller\)\.shutdown\) before its own deferred p\.wg\.Done has run: the Wait never returns`
			return
		}
	}
}

func (p *badPoller) shutdown() {
	p.once.Do(func() { close(p.stop) })
	p.wg.Wait()
}

// The same poller whose workers only signal the stop: the Wait is made
// from outside, by Stop's callers.
type goodPoller struct {
	wg   sync.WaitGroup
	stop chan struct{}
	once sync.Once
	poll func() error
}

func (p *goodPoller) start(n int) {
	for range n {
		p.wg.Add(1)
		go p.loop()
	}
}

func (p *goodPoller) loop() {
	defer p.wg.Done()
	for {
		select {
		case <-p.stop:
			return
		default:
		}
		if err := p.poll(); errors.Is(err, errFatal) {
			p.signal() // ok: no Wait on the way
			return
		}
	}
}

func (p *goodPoller) signal() { p.once.Do(func() { close(p.stop) }) }

func (p *goodPoller) shutdown() {
	p.signal()
	p.wg.Wait()
}

// A supervisor goroutine that waits on another group than the one that
// counts it.
type twoGroups struct {
	workers sync.WaitGroup
	sup     sync.WaitGroup
}

func (t *twoGroups) run() {
	t.sup.Add(1)
	go t.supervise()
}

func (t *twoGroups) supervise() {
	defer t.sup.Done()
	t.workers.Wait() // ok: the workers' group, not the supervisor's
}
