package api

import "sync"

// ---- A setter that takes the lock and a getter that does not: the one
// locked write is the evidence that the type is shared (RacerD's rule).
type Named struct {
	mu   sync.Mutex
	name string
}

func (n *Named) SetName(s string) { // want SetName:`accesses\(w 0\.name \[\(\*api\.Named\)\.mu\]\)`
	n.mu.Lock()
	n.name = s
	n.mu.Unlock()
}

func (n *Named) Name() string { // want Name:`accesses\(r 0\.name\)`
	return n.name // want `unsynchronized read of n.name: \(\*Named\).Name reads it without n.mu, which \(\*Named\).SetName writes holding it`
}

// ---- The same pair with the lock on both sides.
type NamedLocked struct {
	mu   sync.Mutex
	name string
}

func (n *NamedLocked) SetName(s string) { // want SetName:`accesses\(w 0\.name \[\(\*api\.NamedLocked\)\.mu\]\)`
	n.mu.Lock()
	n.name = s
	n.mu.Unlock()
}

func (n *NamedLocked) Name() string { // want Name:`accesses\(r 0\.name \[\(\*api\.NamedLocked\)\.mu\]\)`
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.name
}

// ---- A state changed by a helper that its callers call with the lock
// held (apart from the constructor, on its own new object), and read by
// a method that takes the lock only in another helper.
type Sub struct {
	mu        sync.Mutex
	state     int
	listeners []chan int // want listeners:`guarded\(mu\)`
}

func (s *Sub) Close() { // want Close:`accesses\(w 0\.state \[\(\*api\.Sub\)\.mu\]\)`
	s.mu.Lock()
	s.setState(2)
	s.mu.Unlock()
}

// setState records the state; Close calls it under s.mu, NewSub on a
// Sub not handed out yet.
func (s *Sub) setState(st int) { s.state = st }

func NewSub() *Sub {
	s := &Sub{}
	s.listeners = nil
	s.setState(1)
	return s
}

func (s *Sub) Watch() <-chan int { // want Watch:`accesses\(w 0\.listeners \[\(\*api\.Sub\)\.mu\]; r 0\.listeners \[\(\*api\.Sub\)\.mu\]; r 0\.listeners\[\] \[\(\*api\.Sub\)\.mu\]; r 0\.state\)`
	ch := make(chan int, 1)
	s.listen(ch)
	if s.state == 2 { // want `unsynchronized read of s.state: \(\*Sub\).Watch reads it without s.mu, which \(\*Sub\).setState writes holding it`
		ch <- 2
	}
	return ch
}

func (s *Sub) listen(ch chan int) {
	s.mu.Lock()
	s.listeners = append(s.listeners, ch)
	s.mu.Unlock()
}

// ---- The value is set under the lock only while the object is being
// made, before its maker hands it out.
type Conf struct {
	mu   sync.Mutex
	addr string
}

func NewConf(addr string) *Conf {
	c := &Conf{}
	c.mu.Lock()
	c.addr = addr
	c.mu.Unlock()
	return c
}

func (c *Conf) Addr() string { return c.addr } // want Addr:`accesses\(r 0\.addr\)`

// ---- A getter that first runs the locked set-up that writes the field:
// the write it reads is its own call's.
type Table struct {
	mu     sync.Mutex
	parsed bool // want parsed:`guarded\(mu\)`
	data   []byte
}

func (t *Table) parse() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.parsed {
		t.data = []byte{1}
		t.parsed = true
	}
}

func (t *Table) Data() []byte { // want Data:`accesses\(w 0\.data \[\(\*api\.Table\)\.mu\]; r 0\.data; w 0\.parsed \[\(\*api\.Table\)\.mu\]; r 0\.parsed \[\(\*api\.Table\)\.mu\]\)`
	t.parse()
	return t.data
}

// ---- Two ways to start a server, each only while it is not started
// (a flag set under the lock, reset only by Shutdown): what one sets,
// the other reads only after it has set the flag itself.
type Server struct {
	mu      sync.Mutex
	started bool // want started:`guarded\(mu\)`
	addr    string
}

func (s *Server) ListenAndServe(addr string) bool { // want ListenAndServe:`accesses\(w 0\.addr \[\(\*api\.Server\)\.mu\]; w 0\.started \[\(\*api\.Server\)\.mu\]; r 0\.started \[\(\*api\.Server\)\.mu\]\)`
	s.mu.Lock()
	if s.started {
		s.mu.Unlock()
		return false
	}
	s.addr = addr
	s.started = true
	s.mu.Unlock()
	return true
}

func (s *Server) ActivateAndServe() string { // want ActivateAndServe:`accesses\(r 0\.addr; w 0\.started \[\(\*api\.Server\)\.mu\]; r 0\.started \[\(\*api\.Server\)\.mu\]\)`
	s.mu.Lock()
	if s.started {
		s.mu.Unlock()
		return ""
	}
	s.started = true
	s.mu.Unlock()
	return s.addr
}

func (s *Server) Shutdown() { // want Shutdown:`accesses\(w 0\.started \[\(\*api\.Server\)\.mu\]\)`
	s.mu.Lock()
	s.started = false
	s.mu.Unlock()
}

// ---- A Close that reads, after its unlock, what a setter set under
// the lock: lifecycle methods run in turn with the others.
type Conn struct {
	mu   sync.Mutex
	peer string
}

func (c *Conn) SetPeer(p string) { // want SetPeer:`accesses\(w 0\.peer \[\(\*api\.Conn\)\.mu\]\)`
	c.mu.Lock()
	c.peer = p
	c.mu.Unlock()
}

func (c *Conn) Close() string { // want Close:`accesses\(r 0\.peer\)`
	c.mu.Lock()
	c.mu.Unlock()
	return c.peer
}
