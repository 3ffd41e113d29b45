package regress

import (
	"sync"
	"sync/atomic"
	"time"
)

// ---- A flusher goroutine that Start launches after making its stop
// channel, and that Close stops by a hand-shake before clearing the
// field (olivere/elastic's BulkProcessor): the flusher's reads of the
// field come before its answer, which Close waits for.

type Flusher struct {
	mu      sync.Mutex
	stopC   chan struct{} // want stopC:`guarded\(mu\)`
	started bool          // want started:`guarded\(mu\)`
	statsMu sync.Mutex
	flushes int // want flushes:`guarded\(statsMu\)`
}

func (f *Flusher) Start(every time.Duration) { // want Start:`accesses\(w 0\.flushes \[\(\*regress\.Flusher\)\.mu,\(\*regress\.Flusher\)\.statsMu\]; r 0\.flushes \[\(\*regress\.Flusher\)\.mu,\(\*regress\.Flusher\)\.statsMu\]; w 0\.started \[\(\*regress\.Flusher\)\.mu\]; r 0\.started \[\(\*regress\.Flusher\)\.mu\]; w 0\.stopC \[\(\*regress\.Flusher\)\.mu\]; r 0\.stopC \[\(\*regress\.Flusher\)\.mu\]; recv 0\.stopC; send 0\.stopC\)`
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.started {
		return
	}
	if every > 0 {
		f.stopC = make(chan struct{})
		go f.loop(every)
	}
	f.started = true
}

func (f *Flusher) loop(every time.Duration) { // ok: every read comes before the answer Close waits for
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			f.Flush()
		case <-f.stopC:
			f.stopC <- struct{}{}
			return
		}
	}
}

func (f *Flusher) Flush() { // want Flush:`accesses\(w 0\.flushes \[\(\*regress\.Flusher\)\.statsMu\]; r 0\.flushes \[\(\*regress\.Flusher\)\.statsMu\]\)`
	f.statsMu.Lock()
	f.flushes++
	f.statsMu.Unlock()
}

func (f *Flusher) Close() { // want Close:`accesses\(w 0\.started \[\(\*regress\.Flusher\)\.mu\]; r 0\.started \[\(\*regress\.Flusher\)\.mu\]; r 0\.stopC \[\(\*regress\.Flusher\)\.mu\]; send 0\.stopC; recv 0\.stopC; close 0\.stopC\)`
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.started {
		return
	}
	if f.stopC != nil {
		f.stopC <- struct{}{}
		<-f.stopC
		close(f.stopC)
		f.stopC = nil
	}
	f.started = false
}

// The same loop, but Close clears the field without waiting for the
// answer: the loop may still be reading it.
type Ticker struct {
	mu      sync.Mutex
	stopC   chan struct{} // want stopC:`guarded\(mu\)`
	started bool
}

func (t *Ticker) Start() { // want Start:`accesses\(w 0\.started \[\(\*regress\.Ticker\)\.mu\]; w 0\.stopC \[\(\*regress\.Ticker\)\.mu\]; r 0\.stopC \[\(\*regress\.Ticker\)\.mu\]; recv 0\.stopC; send 0\.stopC\)`
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stopC = make(chan struct{})
	go t.loop()
	t.started = true
}

func (t *Ticker) loop() {
	for {
		select {
		case <-t.stopC: // want `unsynchronized read of t\.stopC: \(\*Ticker\)\.loop reads it without t\.mu, which \(\*Ticker\)\.Start writes holding it`
			t.stopC <- struct{}{}
			return
		default:
		}
	}
}

func (t *Ticker) Close() { // want Close:`accesses\(w 0\.stopC \[\(\*regress\.Ticker\)\.mu\]; r 0\.stopC \[\(\*regress\.Ticker\)\.mu\]; close 0\.stopC\)`
	t.mu.Lock()
	defer t.mu.Unlock()
	close(t.stopC)
	t.stopC = nil
}

// ---- A counter reset before the workers that add to it atomically
// are started, each run joined before the next (elastic's
// executionId).

type Batcher struct {
	mu      sync.Mutex
	wg      sync.WaitGroup
	seq     int64
	workers int
}

func (b *Batcher) Run() { // want Run:`accesses\(r 0\.workers \[\(\*regress\.Batcher\)\.mu\]; done 0\.wg; wait 0\.wg\)`
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seq = 0 // ok: before the workers start, and the last run's were joined
	for i := 0; i < b.workers; i++ {
		b.wg.Add(1)
		go b.work()
	}
	b.wg.Wait()
}

func (b *Batcher) work() {
	defer b.wg.Done()
	b.commit()
}

func (b *Batcher) commit() { atomic.AddInt64(&b.seq, 1) }

// Reset after the workers start races with their atomic adds.
type Stamper struct {
	mu      sync.Mutex
	wg      sync.WaitGroup
	seq     int64
	workers int
}

func (s *Stamper) Run() { // want Run:`accesses\(r 0\.workers \[\(\*regress\.Stamper\)\.mu\]; done 0\.wg; wait 0\.wg\)`
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i < s.workers; i++ {
		s.wg.Add(1)
		go s.work()
	}
	s.seq = 0 // want `unsynchronized write to s\.seq: \(\*Stamper\)\.Run writes it without sync/atomic, which \(\*Stamper\)\.commit uses on it`
	s.wg.Wait()
}

func (s *Stamper) work() {
	defer s.wg.Done()
	s.commit()
}

func (s *Stamper) commit() { atomic.AddInt64(&s.seq, 1) } // the other side of Run's plain write: one finding

// A reset inside the loop that starts the workers follows the last
// round's starts.
type Looper struct {
	mu      sync.Mutex
	seq     int64
	workers int
}

func (l *Looper) Run() { // want Run:`accesses\(r 0\.workers \[\(\*regress\.Looper\)\.mu\]\)`
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := 0; i < l.workers; i++ {
		l.seq = 0 // want `unsynchronized write to l\.seq: \(\*Looper\)\.Run writes it without sync/atomic, which \(\*Looper\)\.work uses on it`
		go l.work()
	}
}

func (l *Looper) work() { atomic.AddInt64(&l.seq, 1) }

// The atomic user also runs deferred in an exported method, which any
// goroutine may call while Run resets the counter.
type Closer struct {
	mu      sync.Mutex
	wg      sync.WaitGroup
	seq     int64
	workers int
}

func (c *Closer) Run() { // want Run:`accesses\(r 0\.workers \[\(\*regress\.Closer\)\.mu\]; done 0\.wg; wait 0\.wg\)`
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq = 0 // want `unsynchronized write to c\.seq: \(\*Closer\)\.Run writes it without sync/atomic, which \(\*Closer\)\.commit uses on it`
	for i := 0; i < c.workers; i++ {
		c.wg.Add(1)
		go c.work()
	}
	c.wg.Wait()
}

func (c *Closer) work() {
	defer c.wg.Done()
	c.commit()
}

func (c *Closer) Close() {
	defer c.commit()
}

func (c *Closer) commit() { atomic.AddInt64(&c.seq, 1) }

// ---- A loop stopped by handing it a reply channel through the quit
// channel and waiting for the reply before clearing the field
// (go-kit's eureka Registrar): the loop's reads of the field come
// before its reply.
type Heartbeat struct {
	mu    sync.Mutex
	quitc chan chan struct{} // want quitc:`guarded\(mu\)`
}

func (h *Heartbeat) Register() { // want Register:`accesses\(r 0\.quitc \[\(\*regress\.Heartbeat\)\.mu\]; recv 0\.quitc\)`
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.quitc != nil {
		return
	}
	h.quitc = make(chan chan struct{})
	go h.loop()
}

func (h *Heartbeat) loop() {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
		case q := <-h.quitc:
			close(q)
			return
		}
	}
}

func (h *Heartbeat) Deregister() { // want Deregister:`accesses\(r 0\.quitc \[\(\*regress\.Heartbeat\)\.mu\]; send 0\.quitc\)`
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.quitc == nil {
		return
	}
	q := make(chan struct{})
	h.quitc <- q
	<-q
	h.quitc = nil
}

// The same hand-over, but the field is cleared before the reply
// arrives: the loop may still be reading it.
type Pinger struct {
	mu    sync.Mutex
	quitc chan chan struct{} // want quitc:`guarded\(mu\)`
}

func (p *Pinger) Register() { // want Register:`accesses\(r 0\.quitc \[\(\*regress\.Pinger\)\.mu\]; recv 0\.quitc\)`
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.quitc != nil {
		return
	}
	p.quitc = make(chan chan struct{})
	go p.loop()
}

func (p *Pinger) loop() {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
		case q := <-p.quitc: // want `unsynchronized read of p\.quitc: \(\*Pinger\)\.loop reads it without p\.mu, which \(\*Pinger\)\.Deregister writes holding it`
			close(q)
			return
		}
	}
}

func (p *Pinger) Deregister() { // want Deregister:`accesses\(r 0\.quitc \[\(\*regress\.Pinger\)\.mu\]; send 0\.quitc\)`
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.quitc == nil {
		return
	}
	q := make(chan struct{})
	p.quitc <- q
	p.quitc = nil
	<-q
}
