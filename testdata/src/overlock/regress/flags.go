package regress

import "sync"

// ---- Sends guarded by a once-flag (net/http's closeNotify): the flag
// is tested and set under the lock and never cleared, so the channel
// with its buffer of one gets at most one value.

type Notifier struct {
	mu        sync.Mutex
	ch        chan bool
	triggered bool
}

// Chan hands the channel out receive-only; if the event already
// happened, the fresh channel gets its one value at once.
func (n *Notifier) Chan() <-chan bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch == nil {
		n.ch = make(chan bool, 1)
		if n.triggered {
			n.ch <- true
		}
	}
	return n.ch
}

// fire is clean: test-and-set of n.triggered under n.mu.
func (n *Notifier) fire() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.triggered {
		return
	}
	n.triggered = true
	if n.ch != nil {
		n.ch <- true
	}
}

type conn struct {
	mu sync.Mutex
	n  *Notifier
}

// readError is clean: the chain ends in the once-flag send.
func (c *conn) readError() {
	c.mu.Lock()
	c.n.fire()
	c.mu.Unlock()
}

// The same flag, cleared by a reset: the second fire sends again and may
// find the buffer full.

type Resettable struct {
	mu    sync.Mutex
	ch    chan bool
	fired bool
}

func NewResettable() *Resettable {
	return &Resettable{ch: make(chan bool, 1)}
}

func (r *Resettable) Fire() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fired {
		return
	}
	r.fired = true
	r.ch <- true // ok: a full buffer waits for a reader out of sight that needs no lock (back-pressure)
}

func (r *Resettable) Reset() {
	r.mu.Lock()
	r.fired = false
	r.mu.Unlock()
}

func (r *Resettable) C() <-chan bool { return r.ch }

// A flag that is tested but not set: every call sends.

type Checker struct {
	mu     sync.Mutex
	ch     chan bool
	closed bool
}

func NewChecker() *Checker {
	return &Checker{ch: make(chan bool, 1)}
}

func (c *Checker) Ping() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.ch <- true // ok: as in Resettable, the reader needs no lock
}

func (c *Checker) Close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
}

func (c *Checker) C() <-chan bool { return c.ch }

// A test-and-set on an unbuffered channel still waits for the receiver.

type Once struct {
	mu   sync.Mutex
	ch   chan bool
	sent bool
}

func NewOnce() *Once {
	return &Once{ch: make(chan bool)}
}

func (o *Once) Signal() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.sent {
		o.sent = true
		o.ch <- true // want `o.mu held across blocking send on o.ch`
	}
}

func (o *Once) C() <-chan bool { return o.ch }

// The same with a buffer of one: clean.

type BufOnce struct {
	mu   sync.Mutex
	ch   chan bool
	sent bool
}

func NewBufOnce() *BufOnce {
	return &BufOnce{ch: make(chan bool, 1)}
}

func (o *BufOnce) Signal() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.sent {
		o.sent = true
		o.ch <- true
	}
}

func (o *BufOnce) C() <-chan bool { return o.ch }

// ---- Receives guarded by a closed-flag (net/http's wantConn.cancel):
// every function that sets done closes result under the same lock, so
// once done is seen set, the receive returns at once.

type want struct {
	mu     sync.Mutex
	done   bool
	result chan int
}

func newWant() *want {
	return &want{result: make(chan int, 1)}
}

func (w *want) deliver(v int) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return false
	}
	w.done = true
	w.result <- v
	close(w.result)
	return true
}

// cancel is clean: done means result is closed.
func (w *want) cancel() int {
	w.mu.Lock()
	v := -1
	if w.done {
		if r, ok := <-w.result; ok {
			v = r
		}
	} else {
		close(w.result)
	}
	w.done = true
	w.mu.Unlock()
	return v
}

// A flag that one path sets without closing the channel proves nothing.

type job struct {
	mu       sync.Mutex
	finished bool
	out      chan int
}

func newJob() *job {
	return &job{out: make(chan int, 1)}
}

func (j *job) finish() {
	j.mu.Lock()
	j.finished = true
	j.mu.Unlock()
}

func (j *job) collect() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.finished {
		return <-j.out // want `j.mu held across blocking receive from j.out`
	}
	return 0
}

func (j *job) stop() {
	j.mu.Lock()
	if !j.finished {
		close(j.out)
	}
	j.mu.Unlock()
}

// A flag set in one critical section and the channel closed in another:
// in between, a reader that sees the flag waits, holding the lock the
// closer needs.

type split struct {
	mu   sync.Mutex
	done bool
	ch   chan int
}

func newSplit() *split {
	return &split{ch: make(chan int)}
}

func (s *split) finish(v int) {
	s.mu.Lock()
	s.done = true
	s.mu.Unlock()
	s.ch <- v
	s.mu.Lock()
	close(s.ch)
	s.mu.Unlock()
}

func (s *split) cancel() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return <-s.ch // want `s.mu held across blocking receive from s.ch`
	}
	return 0
}

// An unlock done by a function literal that a callback also captures:
// each return after calling it leaves the lock released.
type asyncReply struct {
	mu   sync.Mutex
	errs int
}

func (a *asyncReply) handle(ok bool, retry func(func())) {
	a.mu.Lock()
	fail := func() {
		a.errs++
		a.mu.Unlock()
	}
	if !ok {
		retry(func() {
			a.mu.Lock()
			fail()
		})
		a.mu.Unlock()
		return
	}
	if a.errs > 3 {
		fail()
		return
	}
	a.errs = 0
	a.mu.Unlock()
}

// Watchers, each fired at most once by a dispatcher that locks and
// unlocks once per event: the unlock at the end of an iteration is not
// between the test and the send it guards, since the next event tests
// again. Clean.

type watcher struct {
	match func(int) bool
	fired bool
	ch    chan int
}

type Hub struct {
	mu       sync.Mutex
	watchers []*watcher
}

func (h *Hub) Watch(match func(int) bool) <-chan int {
	w := &watcher{match: match, ch: make(chan int, 1)}
	h.mu.Lock()
	h.watchers = append(h.watchers, w)
	h.mu.Unlock()
	return w.ch
}

func (h *Hub) dispatch(events <-chan int) {
	for ev := range events {
		h.mu.Lock()
		for _, w := range h.watchers {
			if !w.fired && w.match(ev) {
				w.fired = true
				w.ch <- ev
			}
		}
		h.mu.Unlock()
	}
}

// The same with the lock dropped between the test and the send (to
// call match unlocked): another dispatcher may test the flag meanwhile,
// and both send.

type uwatcher struct {
	match func(int) bool
	fired bool
	ch    chan int
}

type UnlockedHub struct {
	mu       sync.Mutex
	watchers []*uwatcher
}

func (h *UnlockedHub) Watch(match func(int) bool) <-chan int {
	w := &uwatcher{match: match, ch: make(chan int, 1)}
	h.mu.Lock()
	h.watchers = append(h.watchers, w)
	h.mu.Unlock()
	return w.ch
}

func (h *UnlockedHub) dispatch(ev int) {
	h.mu.Lock()
	for _, w := range h.watchers {
		if !w.fired {
			h.mu.Unlock()
			ok := w.match(ev)
			h.mu.Lock()
			if ok {
				w.fired = true
				w.ch <- ev // want `h.mu held across blocking send on w.ch`
			}
		}
	}
	h.mu.Unlock()
}
