package basic

import (
	"sync"

	"golang.org/x/sync/errgroup"
)

// Acquire waits on a Cond, which releases only its own lock, while it
// still holds admin; Grow, which wakes the waiters, needs admin first.
type slots struct {
	admin sync.Mutex
	mu    sync.Mutex
	cond  *sync.Cond
	free  int
}

func newSlots(n int) *slots {
	s := &slots{free: n}
	s.cond = sync.NewCond(&s.mu)
	return s
}

func (s *slots) Acquire() {
	s.admin.Lock()
	defer s.admin.Unlock()
	s.mu.Lock()
	for s.free == 0 {
		s.cond.Wait() // want `s\.admin held across blocking call to s\.cond\.Wait, which releases only s\.mu: \(\*slots\)\.Grow takes s\.admin to wake it`
	}
	s.free--
	s.mu.Unlock()
}

func (s *slots) Grow(n int) {
	s.admin.Lock()
	defer s.admin.Unlock()
	s.mu.Lock()
	s.free += n
	s.mu.Unlock()
	s.cond.Broadcast()
}

// The waiter holds only the Cond's own lock.
type pool struct {
	admin sync.Mutex
	mu    sync.Mutex
	cond  *sync.Cond
	free  int
}

func newPool(n int) *pool {
	p := &pool{free: n}
	p.cond = sync.NewCond(&p.mu)
	return p
}

func (p *pool) Acquire() {
	p.mu.Lock()
	for p.free == 0 {
		p.cond.Wait()
	}
	p.free--
	p.mu.Unlock()
}

func (p *pool) Grow(n int) {
	p.admin.Lock()
	defer p.admin.Unlock()
	p.mu.Lock()
	p.free += n
	p.mu.Unlock()
	p.cond.Broadcast()
}

// The waiter holds a second lock, but no waker takes it: the others
// that want it wait (contention), the waiter is still woken.
type queue struct {
	order sync.Mutex
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
}

func newQueue() *queue {
	q := &queue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *queue) TakeInOrder() int {
	q.order.Lock()
	defer q.order.Unlock()
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

func (q *queue) Put(v int) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.cond.Signal()
}

// A Cond whose lock is not known here: nothing is reported.
func waitOn(c *sync.Cond, mu *sync.Mutex, ready func() bool) {
	mu.Lock()
	defer mu.Unlock()
	c.L.Lock()
	for !ready() {
		c.Wait()
	}
	c.L.Unlock()
}

// An errgroup's Go waits for a slot only once SetLimit gave the group a
// limit; the package's other Group (see errgroup.go) sets one.
type reloader struct {
	mu   sync.Mutex
	data map[string]int
}

func (r *reloader) Reload(srcs []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var g errgroup.Group
	for _, s := range srcs {
		g.Go(func() error { _ = s; return nil }) // want `r\.mu held across blocking send on g\.sem`
	}
}
