package guards

import (
	"sync"
	"time"
)

// Batcher's workers and start time are set while Start starts the
// goroutines that use them, and nowhere else: a method of the running
// batcher reads them without the lock that serialises Start and Stop.
// The user calls Start before the rest, as with a constructor.
type Batcher struct {
	mu      sync.Mutex
	running bool       // want running:"guarded\\(mu\\)"
	workers []chan int // want workers:"guarded\\(mu\\)"
	started time.Time  // want started:"guarded\\(mu\\)"
}

func (b *Batcher) Start(n int) { // want Start:`accesses\(.*\)`
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.running {
		return
	}
	if b.started.IsZero() {
		b.started = time.Now()
	}
	b.workers = make([]chan int, n)
	for i := range b.workers {
		b.workers[i] = make(chan int, 1)
		go drain(b.workers[i])
	}
	b.running = true
}

func (b *Batcher) Stop() { // want Stop:`accesses\(.*\)`
	b.mu.Lock()
	defer b.mu.Unlock()
	b.running = false
}

func drain(c chan int) {
	for range c {
	}
}

func (b *Batcher) Flush() { // want Flush:`accesses\(.*\)`
	for _, w := range b.workers {
		w <- 0
	}
}

func (b *Batcher) Since() time.Duration { return time.Since(b.started) } // want Since:`accesses\(.*\)`

// Redialer's connection is replaced by a reconnect loop of its own while
// callers read it: setting it before starting a reader does not make
// the later writes initialisation.
type Redialer struct {
	mu   sync.Mutex
	conn chan int // want conn:"guarded\\(mu\\)"
}

func NewRedialer() *Redialer {
	r := &Redialer{conn: make(chan int, 1)}
	go r.loop()
	return r
}

func (r *Redialer) loop() {
	for {
		r.redial()
		time.Sleep(time.Second)
	}
}

func (r *Redialer) redial() {
	r.mu.Lock()
	r.conn = make(chan int, 1)
	r.mu.Unlock()
	go drain(r.conn)
}

func (r *Redialer) Close() { // want Close:`accesses\(.*\)`
	r.mu.Lock()
	r.conn = nil
	r.mu.Unlock()
}

func (r *Redialer) Send(v int) { // want Send:`accesses\(.*\)`
	r.conn <- v // want `unsynchronized read of r.conn: \(\*Redialer\).Send reads it without r.mu, which \(\*Redialer\).redial writes holding it`
}
