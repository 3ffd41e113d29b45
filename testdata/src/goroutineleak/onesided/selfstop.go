package onesided

// A dispatcher goroutine serves requests until stop is closed. The only
// code that closes stop is the event loop, which also sends the
// requests, through a helper only it calls: every request is sent
// before the close, so the dispatcher is still there to take it.

type player struct {
	stop   chan struct{}
	clearq chan func()
	events chan string
}

func (p *player) dispatch() {
	for {
		select {
		case <-p.stop:
			return
		case cb := <-p.clearq:
			cb()
		}
	}
}

func (p *player) clearQueue() {
	done := make(chan struct{})
	p.clearq <- func() { close(done) }
	<-done
}

func (p *player) eventLoop() {
	for ev := range p.events {
		switch ev {
		case "seek":
			p.clearQueue()
		case "close":
			close(p.stop)
			return
		}
	}
}

func startPlayer() chan<- string {
	p := &player{stop: make(chan struct{}), clearq: make(chan func()), events: make(chan string)}
	go p.dispatch()
	go p.eventLoop()
	return p.events
}

// The same helper called from a second goroutine as well, which may
// send after the event loop has closed stop.

type recorder struct {
	stop   chan struct{}
	flushq chan func()
	events chan string
	ticks  chan int
}

func (r *recorder) dispatch() {
	for {
		select {
		case <-r.stop:
			return
		case cb := <-r.flushq:
			cb()
		}
	}
}

func (r *recorder) flush() {
	r.flushq <- func() {} // want `goroutine leak: the send on flushq blocks for ever once the goroutine that receives it has returned on its stop case`
}

func (r *recorder) eventLoop() {
	for ev := range r.events {
		if ev == "close" {
			close(r.stop)
			return
		}
	}
}

func (r *recorder) ticker() {
	for range r.ticks {
		r.flush()
	}
}

func startRecorder() (chan<- string, chan<- int) {
	r := &recorder{stop: make(chan struct{}), flushq: make(chan func()), events: make(chan string), ticks: make(chan int)}
	go r.dispatch()
	go r.eventLoop()
	go r.ticker()
	return r.events, r.ticks
}
