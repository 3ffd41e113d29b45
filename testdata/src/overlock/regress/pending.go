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
