package recall

import "sync"

// A constructor starts a loop on the object it returns; the caller's
// caller uses the object while the loop runs.
type dispatcher struct {
	mu      sync.Mutex
	pending []int // want pending:"guarded\\(mu\\)"
	stop    chan struct{}
}

func (d *dispatcher) loop() {
	d.mu.Lock()
	d.pending = d.pending[:0] // want `unsynchronized write to d\.pending: the goroutine running \(\*dispatcher\)\.loop writes d\.pending, which the goroutine running badAsyncChain\.func1 reads`
	d.mu.Unlock()
	for range d.pending {
	}
}

func newDispatcher() *dispatcher {
	d := &dispatcher{stop: make(chan struct{})}
	go d.loop()
	return d
}

func newTestDispatcher() *dispatcher { return newDispatcher() }

func badAsyncChain() {
	d := newTestDispatcher()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		d.loop()
	}()
	wg.Wait()
}

type ticker struct {
	ticks int
	done  chan struct{}
}

func (t *ticker) run() {
	t.ticks++ // want `unsynchronized write to t\.ticks: the goroutine running \(\*ticker\)\.run writes t\.ticks, which badReturnedObject reads after calling startTicker`
	close(t.done)
}

func newTicker() *ticker {
	t := &ticker{done: make(chan struct{})}
	go t.run()
	return t
}

func startTicker() *ticker {
	t := newTicker()
	return t
}

func badReturnedObject() int {
	t := startTicker()
	return t.ticks
}

func goodReturnedObjectWait() int {
	t := startTicker()
	<-t.done
	return t.ticks
}

// A helper that waits for the goroutine it started does not leave it
// running for its callers.
func startAndWait() *ticker {
	t := newTicker()
	<-t.done
	return t
}

func goodWaited() int {
	t := startAndWait()
	return t.ticks
}

// A map taken out of its field under the lock belongs to the taker.
type registry struct {
	mu    sync.Mutex
	conns map[int]string // want conns:"guarded\\(mu\\)"
}

func (r *registry) watch() {
	r.mu.Lock()
	delete(r.conns, 1)
	r.mu.Unlock()
}

func (r *registry) close() {
	r.mu.Lock()
	conns := r.conns
	r.conns = nil
	r.mu.Unlock()
	for k := range conns {
		_ = k
	}
}

func goodDetached(r *registry) {
	go r.watch()
	go r.close()
}

func (r *registry) closeShared() {
	r.mu.Lock()
	conns := r.conns
	r.mu.Unlock()
	for k := range conns { // want `unsynchronized read of r\.conns: the goroutine running \(\*registry\)\.closeShared reads r\.conns, which the goroutine running \(\*registry\)\.watch writes`
		_ = k
	}
}

func badShared(r *registry) {
	go r.closeShared()
	go r.watch()
}

// A cleaner started only when none runs: a later call that starts
// another one does not overlap the first.
type pool struct {
	mu        sync.Mutex
	cleanerCh chan struct{} // want cleanerCh:"guarded\\(mu\\)"
	open      int
	runs      int
}

func (p *pool) startCleanerLocked() {
	if p.open > 0 && p.cleanerCh == nil {
		p.cleanerCh = make(chan struct{}, 1)
		go p.cleaner(p.cleanerCh)
	}
}

func (p *pool) cleaner(wake chan struct{}) {
	for {
		<-wake
		p.runs++ // only the one cleaner counts its runs
		p.mu.Lock()
		if p.open == 0 {
			p.cleanerCh = nil
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
	}
}

func (p *pool) setOpen(n int) {
	p.mu.Lock()
	p.open = n
	p.startCleanerLocked()
	p.mu.Unlock()
}

func goodSingleton(p *pool) {
	p.setOpen(1)
	p.setOpen(0)
}
