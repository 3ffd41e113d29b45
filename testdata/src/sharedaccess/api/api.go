// Package api: goroutines that an exported constructor leaves running on
// the object it returns, beside the object's exported methods.
package api

import (
	"sync"
	"time"
)

// ---- A refresh loop rewrites the cache that Lookup reads and fills,
// with no lock on either side.
type Cache struct {
	entries map[string]int
	stop    chan struct{}
}

func NewCache() *Cache {
	c := &Cache{entries: map[string]int{}, stop: make(chan struct{})}
	go c.refresh()
	return c
}

func (c *Cache) refresh() {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			for k := range c.entries {
				c.entries[k]++
			}
		case <-c.stop:
			return
		}
	}
}

func (c *Cache) Lookup(k string) int { // want Lookup:`accesses\(r 0\.entries; w 0\.entries\{\}; r 0\.entries\{\}\)`
	if v, ok := c.entries[k]; ok {
		return v
	}
	c.entries[k] = 0 // want `unsynchronized write to c\.entries: the goroutine running \(\*Cache\)\.refresh, which NewCache leaves running, writes c\.entries, while the caller may call \(\*Cache\)\.Lookup, which writes it`
	return 0
}

func (c *Cache) Close() { close(c.stop) } // want Close:`accesses\(r 0\.stop; close 0\.stop\)`

// ---- A plain flag that Close sets and the flush loop polls.
type Flusher struct {
	closing bool
	n       int
}

func NewFlusher() *Flusher {
	f := &Flusher{}
	go f.loop()
	return f
}

func (f *Flusher) loop() {
	for !f.closing {
		time.Sleep(time.Second)
	}
}

func (f *Flusher) Close() { // want Close:`accesses\(w 0\.closing\)`
	f.closing = true // want `unsynchronized write to f\.closing: the goroutine running \(\*Flusher\)\.loop, which NewFlusher leaves running, reads f\.closing, while the caller may call \(\*Flusher\)\.Close, which writes it`
}

// ---- The same loop under the object's mutex: consistent locking.
type Counter struct {
	mu      sync.Mutex
	entries map[string]int // want entries:`guarded\(mu\)`
}

func NewCounter() *Counter {
	c := &Counter{entries: map[string]int{}}
	go c.decay()
	return c
}

func (c *Counter) decay() {
	for range time.Tick(time.Minute) {
		c.mu.Lock()
		for k := range c.entries {
			c.entries[k]--
		}
		c.mu.Unlock()
	}
}

func (c *Counter) Add(k string) { // want Add:`accesses\(r 0\.entries \[\(\*api\.Counter\)\.mu\]; w 0\.entries\{\} \[\(\*api\.Counter\)\.mu\]; r 0\.entries\{\} \[\(\*api\.Counter\)\.mu\]\)`
	c.mu.Lock()
	c.entries[k]++
	c.mu.Unlock()
}

// ---- The loop owns its map; methods reach it only through requests
// it answers.
type Registry struct {
	reqs  chan request
	names map[string]int
}

type request struct {
	name  string
	reply chan int
}

func NewRegistry() *Registry {
	r := &Registry{reqs: make(chan request), names: map[string]int{}}
	go r.serve()
	return r
}

func (r *Registry) serve() {
	for q := range r.reqs {
		r.names[q.name]++
		q.reply <- r.names[q.name]
	}
}

func (r *Registry) Register(name string) int { // want Register:`accesses\(r 0\.reqs; send 0\.reqs\)`
	q := request{name: name, reply: make(chan int)}
	r.reqs <- q
	return <-q.reply
}

// ---- The loop fills in its fields before saying it is ready, and the
// constructor waits for that before returning: the methods come after.
type Probe struct {
	ready chan struct{}
	host  string
}

func NewProbe() *Probe {
	p := &Probe{ready: make(chan struct{})}
	go p.run()
	<-p.ready
	return p
}

func (p *Probe) run() {
	p.host = "localhost"
	close(p.ready)
	select {}
}

func (p *Probe) Host() string { return p.host } // want Host:`accesses\(r 0\.host\)`

// ---- The goroutine and the methods touch different fields.
type Meter struct {
	ticks int
	label string
}

func NewMeter(label string) *Meter {
	m := &Meter{label: label}
	go m.tick()
	return m
}

func (m *Meter) tick() {
	for range time.Tick(time.Second) {
		m.ticks++
	}
}

func (m *Meter) Label() string     { return m.label } // want Label:`accesses\(r 0\.label\)`
func (m *Meter) SetLabel(l string) { m.label = l }    // want SetLabel:`accesses\(w 0\.label\)`

// ---- A timer callback armed by the constructor sets a flag that a
// method reads; resetting the timer orders nothing for a firing that
// came before it.
type Session struct {
	expired bool
	timer   *time.Timer
}

func NewSession(idle time.Duration) *Session {
	s := &Session{}
	s.timer = time.AfterFunc(idle, func() {
		s.expired = true
	})
	return s
}

func (s *Session) Touch(idle time.Duration) bool { // want Touch:`accesses\(r 0\.expired; r 0\.timer; send 0\.timer\.C\)`
	if s.expired { // want `unsynchronized read of s\.expired: the goroutine running NewSession\.func1, which NewSession leaves running, writes s\.expired, while the caller may call \(\*Session\)\.Touch, which reads it`
		return false
	}
	s.timer.Reset(idle)
	return true
}

// The same session under a mutex.
type Lease struct {
	mu      sync.Mutex
	expired bool
	timer   *time.Timer
}

func NewLease(idle time.Duration) *Lease {
	l := &Lease{}
	l.timer = time.AfterFunc(idle, func() {
		l.mu.Lock()
		l.expired = true
		l.mu.Unlock()
	})
	return l
}

func (l *Lease) Touch(idle time.Duration) bool { // want Touch:`accesses\(r 0\.expired \[\(\*api\.Lease\)\.mu\]; r 0\.timer \[\(\*api\.Lease\)\.mu\]; send 0\.timer\.C\)`
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.expired {
		return false
	}
	l.timer.Reset(idle)
	return true
}

// ---- A test server that the constructor starts; StartTLS is for an
// unstarted one and panics otherwise, so its write cannot meet the
// serving goroutine.
type TestServer struct {
	URL      string
	listener chan int
}

func NewTestServer() *TestServer {
	s := &TestServer{listener: make(chan int)}
	s.start()
	return s
}

func (s *TestServer) start() {
	s.URL = "http://local"
	go s.serve()
}

func (s *TestServer) serve() {
	for range s.listener {
	}
}

func (s *TestServer) StartTLS() { // want StartTLS:`accesses\(w 0\.URL; r 0\.URL; w 0\.listener\)`
	if s.URL != "" {
		panic("already started")
	}
	s.listener = make(chan int)
	s.URL = "https://local"
}
