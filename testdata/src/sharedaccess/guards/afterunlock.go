package guards

import (
	"sync"
	"time"
)

// Reaper counts what its background sweep drops under the lock; Stats
// takes the lock for the idle list only and reads the count after
// releasing it.
type Reaper struct {
	mu      sync.Mutex
	idle    []time.Time // want idle:"guarded\\(mu\\)"
	dropped int         // want dropped:"guarded\\(mu\\)"
}

func NewReaper() *Reaper {
	r := &Reaper{}
	go func() {
		for range time.Tick(time.Second) {
			r.sweep()
		}
	}()
	return r
}

func (r *Reaper) sweep() {
	r.mu.Lock()
	defer r.mu.Unlock()
	kept := r.idle[:0]
	for _, t := range r.idle {
		if time.Since(t) > time.Minute {
			r.dropped++
			continue
		}
		kept = append(kept, t)
	}
	r.idle = kept
}

func (r *Reaper) Put(t time.Time) { // want Put:`accesses\(.*\)`
	r.mu.Lock()
	r.idle = append(r.idle, t)
	r.mu.Unlock()
}

func (r *Reaper) Stats() (int, int) { // want Stats:`accesses\(.*\)`
	r.mu.Lock()
	n := len(r.idle)
	r.mu.Unlock()
	return n, r.dropped // want `unsynchronized read of r\.dropped: \(\*Reaper\)\.Stats reads it without r\.mu, which \(\*Reaper\)\.sweep writes holding it`
}

// Dialer fills in its timer lazily under the lock and returns what it
// saw there after releasing it. Reset may replace the timer between the
// Unlock and the read: a race that is left unreported, as the price of
// staying quiet on the lazy-fill idiom (the read follows a section
// that checks the field itself).
type Dialer struct {
	mu   sync.Mutex
	conn *time.Timer // want conn:"guarded\\(mu\\)"
}

func (d *Dialer) Conn() *time.Timer { // want Conn:`accesses\(.*\)`
	d.mu.Lock()
	if d.conn == nil {
		d.conn = time.NewTimer(time.Hour)
	}
	d.mu.Unlock()
	return d.conn
}

func (d *Dialer) Reset() { // want Reset:`accesses\(.*\)`
	d.mu.Lock()
	d.conn.Reset(time.Minute)
	d.conn = time.NewTimer(time.Hour)
	d.mu.Unlock()
}

// Plugin's Start sets the process and its done channel in one section;
// Kill checks the process under the lock, then waits on the channel
// that section published.
type Plugin struct {
	mu   sync.Mutex
	proc *time.Timer   // want proc:`guarded\(mu\)`
	done chan struct{} // want done:`guarded\(mu\)`
}

func (p *Plugin) Start() { // want Start:`accesses\(w 0\.done \[\(\*guards\.Plugin\)\.mu\]; w 0\.proc \[\(\*guards\.Plugin\)\.mu\]\)`
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = make(chan struct{})
	p.proc = time.AfterFunc(time.Hour, func() {})
}

func (p *Plugin) Restart() { // want Restart:`accesses\(w 0\.done \[\(\*guards\.Plugin\)\.mu\]; w 0\.proc \[\(\*guards\.Plugin\)\.mu\]\)`
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = make(chan struct{})
	p.proc = time.AfterFunc(time.Hour, func() {})
}

func (p *Plugin) Kill() { // want Kill:`accesses\(r 0\.done; r 0\.proc \[\(\*guards\.Plugin\)\.mu\]; recv 0\.done\)`
	p.mu.Lock()
	proc := p.proc
	p.mu.Unlock()
	if proc == nil {
		return
	}
	proc.Stop()
	select {
	case <-p.done:
	case <-time.After(time.Second):
	}
}

// Stream's rebalance loop restarts its readers under the lock unless the
// stream is closed; Close sets closed under the lock, then cancels the
// last readers: no restart can follow.
type Stream struct {
	mu     sync.Mutex
	closed bool
	cancel func() // want cancel:`guarded\(mu\)`
	epoch  int    // want epoch:`guarded\(mu\)`
}

func NewStream() *Stream {
	s := &Stream{cancel: func() {}}
	go s.rebalance()
	return s
}

func (s *Stream) rebalance() {
	for range time.Tick(time.Second) {
		s.mu.Lock()
		s.restart()
		s.mu.Unlock()
	}
}

func (s *Stream) restart() {
	if s.closed {
		return
	}
	s.cancel()
	s.cancel = func() {}
	s.epoch++
}

func (s *Stream) Close() { // want Close:`accesses\(r 0\.cancel; w 0\.closed \[\(\*guards\.Stream\)\.mu\]\)`
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
}

// Feed restarts whether or not it is closed: Close's call races with it.
type Feed struct {
	mu     sync.Mutex
	closed bool
	cancel func() // want cancel:`guarded\(mu\)`
	epoch  int    // want epoch:`guarded\(mu\)`
}

func NewFeed() *Feed {
	f := &Feed{cancel: func() {}}
	go f.rebalance()
	return f
}

func (f *Feed) rebalance() {
	for range time.Tick(time.Second) {
		f.mu.Lock()
		f.cancel()
		f.cancel = func() {}
		f.epoch++
		f.mu.Unlock()
	}
}

func (f *Feed) Close() { // want Close:`accesses\(r 0\.cancel; w 0\.closed \[\(\*guards\.Feed\)\.mu\]\)`
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	f.cancel() // want `unsynchronized read of f\.cancel: \(\*Feed\)\.Close reads it without f\.mu, which \(\*Feed\)\.rebalance writes holding it`
}

// Runner is restarted by a helper that fans out over many runners, each
// on a goroutine: the API called concurrently, not a goroutine of the
// runner's own that keeps changing done.
type Runner struct {
	mu   sync.Mutex
	proc *time.Timer
	done chan struct{}
}

func (r *Runner) Start() { // want Start:`accesses\(w 0\.done \[\(\*guards\.Runner\)\.mu\]; w 0\.proc \[\(\*guards\.Runner\)\.mu\]\)`
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done = make(chan struct{})
	r.proc = time.AfterFunc(time.Hour, func() {})
}

func (r *Runner) Restart() { // want Restart:`accesses\(w 0\.done \[\(\*guards\.Runner\)\.mu\]; r 0\.done; w 0\.proc \[\(\*guards\.Runner\)\.mu\]; r 0\.proc \[\(\*guards\.Runner\)\.mu\]; recv 0\.done\)`
	r.Stop()
	r.Start()
}

func (r *Runner) Stop() { // want Stop:`accesses\(r 0\.done; r 0\.proc \[\(\*guards\.Runner\)\.mu\]; recv 0\.done\)`
	r.mu.Lock()
	proc := r.proc
	r.mu.Unlock()
	if proc == nil {
		return
	}
	proc.Stop()
	select {
	case <-r.done:
	case <-time.After(time.Second):
	}
}

func RestartAll(rs []*Runner) { // want RestartAll:`accesses\(r 0\[\]; w 0\[\]\.done \[\(\*guards\.Runner\)\.mu\]; r 0\[\]\.done; w 0\[\]\.proc \[\(\*guards\.Runner\)\.mu\]; r 0\[\]\.proc \[\(\*guards\.Runner\)\.mu\]; recv 0\[\]\.done\)`
	for _, r := range rs {
		go func(r *Runner) { r.Restart() }(r)
	}
}
