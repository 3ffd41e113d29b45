package regress

import (
	"context"
	"net"
	"sync"
	"time"
)

// A Close that signals its worker to stop and joins it while holding the
// lock: the worker never takes the lock, so the join ends (contention,
// not a deadlock).
type stopper struct {
	mu     sync.Mutex
	closed bool
	stop   chan struct{}
	done   chan struct{}
	jobs   chan int
	n      int
}

func newStopper() *stopper {
	s := &stopper{stop: make(chan struct{}), done: make(chan struct{}), jobs: make(chan int)}
	go s.loop()
	return s
}

func (s *stopper) loop() {
	defer close(s.done)
	for {
		select {
		case <-s.stop:
			return
		case j := <-s.jobs:
			tally(&tallyMu, j)
		}
	}
}

func (s *stopper) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	close(s.stop)
	<-s.done
}

// Submit hands a job to the worker, which owns it from there.
func (s *stopper) Submit(j int) {
	s.mu.Lock()
	s.n++
	s.jobs <- j
	s.mu.Unlock()
}

// The same shape with a worker that takes the lock before it exits:
// Close waits for a worker that waits for Close's lock.
type lockingStopper struct {
	mu     sync.Mutex
	closed bool
	stop   chan struct{}
	done   chan struct{}
	count  int
}

func newLockingStopper() *lockingStopper {
	s := &lockingStopper{stop: make(chan struct{}), done: make(chan struct{})}
	go s.loop()
	return s
}

func (s *lockingStopper) loop() {
	defer close(s.done)
	<-s.stop
	s.mu.Lock()
	s.count = 0
	s.mu.Unlock()
}

func (s *lockingStopper) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	close(s.stop)
	<-s.done // want `s.mu held across blocking receive from s.done`
}

// A group of workers that never take the lock.
type pool struct {
	mu   sync.Mutex
	wg   sync.WaitGroup
	quit chan struct{}
	size int
}

func newPool(n int) *pool {
	p := &pool{quit: make(chan struct{}), size: n}
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go p.work()
	}
	return p
}

func (p *pool) work() {
	defer p.wg.Done()
	<-p.quit
}

func (p *pool) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	close(p.quit)
	p.wg.Wait()
	p.size = 0
}

// A sender whose receiver is reached from code that holds the lock.
type relay struct {
	mu  sync.Mutex
	out chan int
	n   int
}

func newRelay() *relay { return &relay{out: make(chan int)} }

func (r *relay) Push(v int) {
	r.mu.Lock()
	r.n++
	r.out <- v // want `r.mu held across blocking send on r.out`
	r.mu.Unlock()
}

func (r *relay) Pull() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return <-r.out // want `r.mu held across blocking receive from r.out`
}

var (
	tallyMu sync.Mutex
	total   int
)

// tally takes a mutex of its own: not the stopper's.
func tally(mu *sync.Mutex, j int) {
	mu.Lock()
	total += j
	mu.Unlock()
}

// A worker that sleeps per job keeps a sender under the lock waiting
// as long: the hand-off is contention worth a finding.
type slowWorker struct {
	mu   sync.Mutex
	jobs chan int
	sent int
}

func newSlowWorker() *slowWorker {
	w := &slowWorker{jobs: make(chan int)}
	go w.loop()
	return w
}

func (w *slowWorker) loop() {
	for j := range w.jobs {
		time.Sleep(time.Duration(j) * time.Millisecond)
	}
}

func (w *slowWorker) Submit(j int) {
	w.mu.Lock()
	w.sent++
	w.jobs <- j // want `w.mu held across blocking send on w.jobs`
	w.mu.Unlock()
}

// A worker that does slow work per tick but checks a stop channel: a
// Close that closes stop before it joins waits for one tick at most.
type slowStopper struct {
	mu    sync.Mutex
	stop  chan struct{}
	done  chan struct{}
	ticks int
}

func newSlowStopper() *slowStopper {
	s := &slowStopper{stop: make(chan struct{}), done: make(chan struct{})}
	go s.loop()
	return s
}

func (s *slowStopper) loop() {
	defer close(s.done)
	for {
		select {
		case <-s.stop:
			return
		default:
			time.Sleep(time.Millisecond)
		}
	}
}

func (s *slowStopper) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ticks = -1
	close(s.stop)
	<-s.done // ok: signalled to stop first; the worker never takes s.mu
}

// The same worker joined without the signal: the join lasts until the
// worker stops for some other reason.
func (s *slowStopper) Wait() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ticks = -2
	<-s.done // want `s.mu held across blocking receive from s.done`
}

// A dialer cancelled through its context before the join.
type dialer struct {
	mu      sync.Mutex
	cancel  context.CancelFunc
	dialing chan struct{}
	conns   int
}

func newDialer(ctx context.Context) *dialer {
	ctx, cancel := context.WithCancel(ctx)
	d := &dialer{cancel: cancel, dialing: make(chan struct{})}
	go d.dial(ctx)
	return d
}

func (d *dialer) dial(ctx context.Context) {
	defer close(d.dialing)
	var nd net.Dialer
	if c, err := nd.DialContext(ctx, "tcp", "localhost:1"); err == nil {
		c.Close()
	}
}

func (d *dialer) Close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.conns = 0
	d.cancel()
	<-d.dialing // ok: the dial was cancelled first and never takes d.mu
}

// Binding a listener returns at once; accepting on it blocks.
type listenerHolder struct {
	mu sync.Mutex
	ln net.Listener
}

func (h *listenerHolder) Start() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	ln, err := net.Listen("tcp", "127.0.0.1:0") // ok: binds and returns
	if err != nil {
		return err
	}
	h.ln = ln
	return nil
}

func (h *listenerHolder) Next() (net.Conn, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.ln.Accept() // want `h.mu held across blocking call to h.ln.Accept`
}
