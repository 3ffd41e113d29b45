// Package onesided pairs unexported channel fields that the package only
// sends on, or only receives from, with clean twins.
package onesided

import (
	"context"
	"sync"
)

type watcher struct {
	ctx     context.Context
	errs    chan error
	results chan bool // made unbuffered; nothing receives
}

func newWatcher(ctx context.Context) *watcher {
	return &watcher{ctx: ctx, errs: make(chan error), results: make(chan bool)}
}

func (w *watcher) stop(err error) {
	select {
	case w.errs <- err:
	case <-w.ctx.Done():
	}
}

func (w *watcher) run() {
	select {
	case err := <-w.errs:
		w.results <- err != nil // want `goroutine leak: the send on results blocks for ever: the package makes it unbuffered and no code receives from it`
	case <-w.ctx.Done():
	}
}

type served struct{ out chan int }

func newServed() *served { return &served{out: make(chan int)} }

func (s *served) produce(v int) { s.out <- v }
func (s *served) consume() int  { return <-s.out }

type offered struct{ out chan int }

func newOffered() *offered { return &offered{out: make(chan int)} }

// offer gives up when nobody takes the value.
func (o *offered) offer(ctx context.Context, v int) {
	select {
	case o.out <- v:
	case <-ctx.Done():
	}
}

// BAD: a buffer that nothing empties fills after one put.
type buffered struct{ out chan int }

func newBuffered() *buffered { return &buffered{out: make(chan int, 1)} }

func (b *buffered) put(v int) { b.out <- v } // want `goroutine leak: the send on out blocks once its buffer fills: no code receives from it`

// GOOD: the same buffer, emptied by take.
type drained struct{ out chan int }

func newDrained() *drained { return &drained{out: make(chan int, 1)} }

func (d *drained) put(v int) { d.out <- v }
func (d *drained) take() int { return <-d.out }

// GOOD: the constructor's one send fits the buffer it made; nothing
// else sends.
type primed struct{ tokens chan int }

func newPrimed() *primed {
	p := &primed{tokens: make(chan int, 1)}
	p.tokens <- 1
	return p
}

type exposed struct{ out chan int }

func newExposed() *exposed       { return &exposed{out: make(chan int)} }
func (e *exposed) put(v int)     { e.out <- v }
func (e *exposed) C() <-chan int { return e.out } // other packages receive

type daemon struct {
	quit chan struct{} // made; nothing closes it
}

func newDaemon() *daemon {
	d := &daemon{quit: make(chan struct{})}
	go d.loop()
	return d
}

func (d *daemon) loop() {
	<-d.quit // want `goroutine leak: the receive from quit blocks for ever: no code sends on it or closes it`
}

type stoppable struct{ quit chan struct{} }

func newStoppable() *stoppable {
	s := &stoppable{quit: make(chan struct{})}
	go s.loop()
	return s
}

func (s *stoppable) loop()  { <-s.quit }
func (s *stoppable) Close() { close(s.quit) }

type hooked struct{ hook chan int } // a test sets it

func (h *hooked) step(v int) {
	if h.hook != nil {
		h.hook <- v
	}
}

type request struct {
	v     int
	reply chan error // made by the requester, which receives on its own copy
}

type broker struct{ reqs chan request }

func newBroker() *broker { return &broker{reqs: make(chan request)} }

func (b *broker) serve() {
	for r := range b.reqs {
		r.reply <- nil
	}
}

func (b *broker) call(v int) error {
	ch := make(chan error)
	b.reqs <- request{v: v, reply: ch}
	return <-ch
}

// A stopper whose quiesce channel is handed out receive-only by a getter
// and never closed: every wait on it blocks for ever.
type quiescer struct{ quiesce chan struct{} }

func newQuiescer() *quiescer { return &quiescer{quiesce: make(chan struct{})} }

func (q *quiescer) ShouldQuiesce() <-chan struct{} { return q.quiesce }

func (q *quiescer) waitQuiesce() {
	<-q.ShouldQuiesce() // want `goroutine leak: the receive from quiesce blocks for ever: no code sends on it or closes it`
}

// The same getter over a channel that Stop closes.
type stopper2 struct{ quiesce chan struct{} }

func newStopper2() *stopper2 { return &stopper2{quiesce: make(chan struct{})} }

func (s *stopper2) ShouldQuiesce() <-chan struct{} { return s.quiesce }

func (s *stopper2) Stop() { close(s.quiesce) }

func (s *stopper2) waitQuiesce() {
	<-s.ShouldQuiesce() // ok: Stop closes it
}

// A producer that sends results on an unbuffered field and closes it
// when done, but no code receives from it: the first send blocks (the
// close serves no sender).
type resultWatcher struct{ result chan int }

func newResultWatcher() *resultWatcher {
	w := &resultWatcher{result: make(chan int)}
	go w.process()
	return w
}

func (w *resultWatcher) process() {
	defer close(w.result)
	w.result <- 1 // want `goroutine leak: the send on result blocks for ever: the package makes it unbuffered and no code receives from it`
}

// The same producer whose results are read through a receive-only
// getter: the caller out of sight receives.
type resultWatcher2 struct{ result chan int }

func newResultWatcher2() *resultWatcher2 {
	w := &resultWatcher2{result: make(chan int)}
	go w.process()
	return w
}

func (w *resultWatcher2) ResultChan() <-chan int { return w.result }

func (w *resultWatcher2) process() {
	defer close(w.result)
	w.result <- 1 // ok: ResultChan's callers receive
}

// A server loop that returns on its stop case: a request sent after Stop
// finds nobody to receive it.
type node struct {
	status chan chan int
	propc  chan int
	stop   chan struct{}
	done   chan struct{}
	n      int
}

func newNode() *node {
	n := &node{status: make(chan chan int), propc: make(chan int), stop: make(chan struct{}), done: make(chan struct{})}
	go n.run()
	return n
}

func (n *node) run() {
	defer close(n.done)
	for {
		select {
		case c := <-n.status:
			c <- n.n
		case v := <-n.propc:
			n.n += v
		case <-n.stop:
			return
		}
	}
}

// Status is the API's request: calling it after Stop is the caller's
// contract to avoid, as for most types that own a goroutine.
func (n *node) Status() int {
	c := make(chan int, 1)
	n.status <- c // ok: an exported method
	return <-c
}

// onResponse is the package's own callback (a connection's read loop
// calls it): it can run after the loop has stopped.
func (n *node) onResponse(v int) {
	n.propc <- v // want `goroutine leak: the send on propc blocks for ever once the goroutine that receives it has returned on its stop case; nothing else receives from propc: select on the stop channel as well`
}

// Propose selects on done as well: it returns once the loop has gone.
func (n *node) Propose(v int) bool {
	select {
	case n.propc <- v:
		return true
	case <-n.done:
		return false
	}
}

func (n *node) Stop() {
	close(n.stop)
	<-n.done
}

// A loop that never returns: its requests are always served.
type forever struct{ reqs chan int }

func newForever() *forever {
	f := &forever{reqs: make(chan int)}
	go f.loop()
	return f
}

func (f *forever) loop() {
	for {
		select {
		case v := <-f.reqs:
			_ = v
		}
	}
}

func (f *forever) Put(v int) { f.reqs <- v } // ok: the loop never returns

// A scheduler whose requests are sent only while its running flag says
// the loop is there: Stop clears the flag before stopping the loop.
type sched struct {
	mu      sync.Mutex
	running bool
	add     chan int
	stop    chan struct{}
	entries []int
}

func (s *sched) Start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running {
		return
	}
	s.running = true
	go s.run()
}

func (s *sched) run() {
	for {
		select {
		case e := <-s.add:
			s.entries = append(s.entries, e)
		case <-s.stop:
			return
		}
	}
}

func (s *sched) Add(e int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.running {
		s.entries = append(s.entries, e)
	} else {
		s.add <- e // ok: only while the loop runs
	}
}

func (s *sched) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running {
		s.stop <- struct{}{}
		s.running = false
	}
}

func newSched() *sched { return &sched{add: make(chan int), stop: make(chan struct{})} }
