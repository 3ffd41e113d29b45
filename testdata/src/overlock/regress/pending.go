package regress

import "sync"

// Waiters kept in a map, each with a reply channel of one slot that a
// settling function sends on once, taking the entry out of the map as
// it does: the slot is free, the send does not block under the lock.

type replyWaiter struct {
	reply chan error
	id    int
}

type replySet struct {
	mu sync.Mutex
	m  map[int]replyWaiter
}

func (p *replySet) add(id int) chan error {
	ch := make(chan error, 1)
	p.mu.Lock()
	p.m[id] = replyWaiter{reply: ch, id: id}
	p.mu.Unlock()
	return ch
}

func (p *replySet) settle(id int, err error) {
	p.mu.Lock()
	if w, ok := p.m[id]; ok {
		w.reply <- err
		delete(p.m, id)
	}
	p.mu.Unlock()
}

func (p *replySet) clear(err error) {
	p.mu.Lock()
	for id, w := range p.m {
		w.reply <- err
		delete(p.m, id)
	}
	p.mu.Unlock()
}

// A bad twin: one replyWaiter's channel has no slot.
type slowWaiter struct {
	reply chan error
}

type slowSet struct {
	mu sync.Mutex
	m  map[int]slowWaiter
}

func (p *slowSet) add(id int, sync bool) chan error {
	ch := make(chan error, 1)
	if sync {
		ch = make(chan error)
	}
	p.mu.Lock()
	p.m[id] = slowWaiter{reply: ch}
	p.mu.Unlock()
	return ch
}

func (p *slowSet) settle(id int, err error) {
	p.mu.Lock()
	if w, ok := p.m[id]; ok {
		w.reply <- err // want `p.mu held across blocking send on w.reply`
		delete(p.m, id)
	}
	p.mu.Unlock()
}

// A queue of waiters in a slice: each waiter's channel has one slot, and
// a waiter is sent to once, as it is dequeued or as the list is dropped.
type slotWaiter struct{ ready chan bool }

type waitQueue struct {
	mu      sync.Mutex
	waiters []*slotWaiter
}

func (q *waitQueue) Wait() bool {
	w := &slotWaiter{ready: make(chan bool, 1)}
	q.mu.Lock()
	q.waiters = append(q.waiters, w)
	q.mu.Unlock()
	return <-w.ready
}

func (q *waitQueue) WakeOne() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.waiters) == 0 {
		return
	}
	w := q.waiters[0]
	q.waiters = q.waiters[1:]
	w.ready <- true // ok: dequeued, its one slot is free
}

func (q *waitQueue) Dispose() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, w := range q.waiters {
		w.ready <- false // ok: the list is dropped below
	}
	q.waiters = nil
}

// The same list, but Peek sends to the first waiter and leaves it
// listed: a second Peek sends to it again, and that send blocks.
type peekWaiter struct{ ready chan bool }

type peekQueue struct {
	mu      sync.Mutex
	waiters []*peekWaiter
}

func (q *peekQueue) Wait() bool {
	w := &peekWaiter{ready: make(chan bool, 1)}
	q.mu.Lock()
	q.waiters = append(q.waiters, w)
	q.mu.Unlock()
	return <-w.ready
}

func (q *peekQueue) Peek() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.waiters) > 0 {
		q.waiters[0].ready <- true // want `q\.mu held across blocking send on q\.waiters\[0\]\.ready`
	}
}
