package onesided

import "time"

// A ticker pump: produce is the only sender on ticks and the only closer
// of done, which it closes after its last send before it returns. The
// consumer returns on done only once no send can follow.
type tickPump struct {
	ticks chan time.Time
	done  chan struct{}
	quit  chan struct{}
}

func startTickPump() func() {
	p := &tickPump{ticks: make(chan time.Time), done: make(chan struct{}), quit: make(chan struct{})}
	go p.consume()
	go p.produce()
	return func() { close(p.quit) }
}

func (p *tickPump) produce() {
	tk := time.NewTicker(time.Millisecond)
	defer tk.Stop()
	for {
		select {
		case t := <-tk.C:
			p.ticks <- t // ok: done is closed after the last send
		case <-p.quit:
			close(p.done)
			return
		}
	}
}

func (p *tickPump) consume() {
	for {
		select {
		case <-p.ticks:
		case <-p.done:
			return
		}
	}
}

// The same pump whose producer closes done and goes on sending: the
// consumer has returned, the next send blocks.
type leakyTickPump struct {
	ticks chan time.Time
	done  chan struct{}
	quit  chan struct{}
}

func startLeakyTickPump() func() {
	p := &leakyTickPump{ticks: make(chan time.Time), done: make(chan struct{}), quit: make(chan struct{})}
	go p.consume()
	go p.produce()
	return func() { close(p.quit) }
}

func (p *leakyTickPump) produce() {
	tk := time.NewTicker(time.Millisecond)
	defer tk.Stop()
	closed := false
	for {
		select {
		case t := <-tk.C:
			p.ticks <- t // want `goroutine leak: the send on ticks blocks for ever once the goroutine that receives it has returned on its stop case`
		case <-p.quit:
			if !closed {
				close(p.done)
				closed = true
			}
		}
	}
}

func (p *leakyTickPump) consume() {
	for {
		select {
		case <-p.ticks:
		case <-p.done:
			return
		}
	}
}
