package regress

import "sync"

// Sends into a constant buffer: back-pressure unless the reader needs
// the sender's lock, or the buffer is already full when made.

// A buffered channel whose reader takes the sender's lock: once the
// buffer is full, the sender waits under mu for a reader that waits
// for mu.

type Feed struct {
	mu    sync.Mutex
	ch    chan int
	total int
}

func NewFeed() *Feed {
	f := &Feed{ch: make(chan int, 1)}
	go f.drain()
	return f
}

func (f *Feed) Put(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ch <- n // want `f.mu held across blocking send on f.ch`
}

func (f *Feed) drain() {
	for n := range f.ch {
		f.mu.Lock()
		f.total += n
		f.mu.Unlock()
	}
}

// The same feed drained by a reader that never takes mu: the send waits
// only while the reader lags.

type LooseFeed struct {
	mu   sync.Mutex
	ch   chan int
	seen int
	sum  int
}

func NewLooseFeed() *LooseFeed {
	f := &LooseFeed{ch: make(chan int, 1)}
	go f.drain()
	return f
}

func (f *LooseFeed) Put(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen++
	f.ch <- n // ok: back-pressure from a reader that needs no lock
}

func (f *LooseFeed) drain() {
	for n := range f.ch {
		f.sum += n
	}
}

// A reader that takes the lock through a callback stored in a field: the
// callback is a function literal of the package that locks mu.

type Keeper struct {
	add    chan struct{}
	expire func()
	n      int
}

func NewKeeper(expire func()) *Keeper {
	k := &Keeper{add: make(chan struct{}, 1), expire: expire}
	go k.run()
	return k
}

func (k *Keeper) run() {
	for range k.add {
		k.n++
		k.expire()
	}
}

func (k *Keeper) Add() { k.add <- struct{}{} }

type Tokens struct {
	mu sync.Mutex
	k  *Keeper
	m  map[string]bool
}

func NewTokens() *Tokens {
	t := &Tokens{m: map[string]bool{}}
	t.k = NewKeeper(func() {
		t.mu.Lock()
		clear(t.m)
		t.mu.Unlock()
	})
	return t
}

func (t *Tokens) Assign(s string) {
	t.mu.Lock()
	t.m[s] = true
	t.k.Add() // want `t.mu held across blocking send on k.add \(via \(\*Keeper\).Add\)`
	t.mu.Unlock()
}

// The same keeper whose callback needs no lock: the send only waits
// for the reader to catch up.

type Counts struct {
	mu sync.Mutex
	k  *Keeper
	n  int
}

func NewCounts() *Counts {
	c := &Counts{}
	c.k = NewKeeper(func() {})
	return c
}

func (c *Counts) Bump() {
	c.mu.Lock()
	c.n++
	c.k.Add() // ok: reader needs no lock of this class
	c.mu.Unlock()
}

// A notify channel primed with the initial state when made: its one slot
// is full, so the next send waits under mu for a reader out of sight.

type Balancer struct {
	mu     sync.Mutex
	notify chan int
	pinned int
}

func NewBalancer() *Balancer {
	ch := make(chan int, 1)
	ch <- 0
	return &Balancer{notify: ch}
}

func (b *Balancer) Notify() <-chan int { return b.notify }

func (b *Balancer) Pin(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pinned = n
	b.notify <- n // want `b.mu held across blocking send on b.notify`
}

// The same channel left empty when made: one send per call into a free
// slot; the reader out of sight can only slow it down.

type Pinner struct {
	mu     sync.Mutex
	notify chan int
	pinned int
}

func NewPinner() *Pinner {
	return &Pinner{notify: make(chan int, 1)}
}

func (p *Pinner) Notify() <-chan int { return p.notify }

func (p *Pinner) Pin(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pinned = n
	p.notify <- n // ok: back-pressure only
}

// A channel of capacity one used as a mutex: a send takes the token, a
// receive gives it back. Giving it back never waits, here or in the
// method that ends a transaction.
type store struct {
	writeLock chan struct{}
	n         int
}

func newStore() *store { return &store{writeLock: make(chan struct{}, 1)} }

func (s *store) Put() {
	s.writeLock <- struct{}{}
	s.n++
	<-s.writeLock
}

type txn struct {
	mu   sync.Mutex
	s    *store
	done bool
}

func (s *store) Begin() *txn {
	s.writeLock <- struct{}{}
	return &txn{s: s}
}

func (t *txn) Commit() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.done {
		t.done = true
		<-t.s.writeLock // ok: returns the token Begin took
	}
}

// A signal channel of capacity one that nothing takes and gives back:
// its receive waits for the signal.
type signal struct {
	mu    sync.Mutex
	ready chan struct{}
	n     int
}

func newSignal() *signal { return &signal{ready: make(chan struct{}, 1)} }

func (s *signal) Fire() { s.ready <- struct{}{} }

func (s *signal) Await() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	<-s.ready // want `s.mu held across blocking receive from s.ready`
}

// A callback that sends into a buffered channel its test made and
// captured: the channel's make is found through the variable's cell.
type connServer struct {
	mu      sync.Mutex
	n       int
	OnState func(st int)
}

func (s *connServer) handle(st int) {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
	s.OnState(st)
}

func watchStates(s *connServer) int {
	ch := make(chan int, 4)
	s.OnState = func(st int) {
		s.mu.Lock()
		ch <- st // ok: one send per call into a buffer, no reader needs s.mu
		s.mu.Unlock()
	}
	return <-ch
}
