// Package regress holds look-alikes of false positives found on real
// code, each beside a twin that must still be reported.
package regress

import "sync"

// ---- Reply channels taken out of a pending set (database/sql's
// connRequests): each request is answered once, into a buffer of one.

type answer struct {
	v   int
	err error
}

type pending struct {
	reqs []chan answer
}

func (p *pending) add(ch chan answer) { p.reqs = append(p.reqs, ch) }

// take removes and returns the oldest request.
func (p *pending) take() (chan answer, bool) {
	if len(p.reqs) == 0 {
		return nil, false
	}
	ch := p.reqs[0]
	p.reqs = p.reqs[1:]
	return ch, true
}

type Pool struct {
	mu      sync.Mutex
	waiters pending
	free    []int
}

// Get waits for a value when none is free.
func (p *Pool) Get() (int, error) {
	p.mu.Lock()
	if n := len(p.free); n > 0 {
		v := p.free[n-1]
		p.free = p.free[:n-1]
		p.mu.Unlock()
		return v, nil
	}
	req := make(chan answer, 1)
	p.waiters.add(req)
	p.mu.Unlock()
	a := <-req
	return a.v, a.err
}

// putLocked answers one waiter; the caller holds p.mu.
func (p *Pool) putLocked(v int) {
	if req, ok := p.waiters.take(); ok {
		req <- answer{v: v}
		return
	}
	p.free = append(p.free, v)
}

// Put is clean: the request was taken out of the set under p.mu, so no
// other Put can send on it, and its buffer has room for this one answer.
func (p *Pool) Put(v int) {
	p.mu.Lock()
	p.putLocked(v)
	p.mu.Unlock()
}

// The same shape with unbuffered reply channels: the send waits for the
// requester, who may need p.mu first.

type uanswer struct{ v int }

type upending struct {
	reqs []chan uanswer
}

func (p *upending) add(ch chan uanswer) { p.reqs = append(p.reqs, ch) }

func (p *upending) take() (chan uanswer, bool) {
	if len(p.reqs) == 0 {
		return nil, false
	}
	ch := p.reqs[0]
	p.reqs = p.reqs[1:]
	return ch, true
}

type UPool struct {
	mu      sync.Mutex
	waiters upending
}

func (p *UPool) Get() int {
	req := make(chan uanswer)
	p.mu.Lock()
	p.waiters.add(req)
	p.mu.Unlock()
	return (<-req).v
}

func (p *UPool) putLocked(v int) {
	if req, ok := p.waiters.take(); ok {
		req <- uanswer{v: v}
	}
}

func (p *UPool) Put(v int) {
	p.mu.Lock()
	p.putLocked(v) // want `p.mu held across blocking send on req \(via \(\*UPool\).putLocked\)`
	p.mu.Unlock()
}

// ---- Reply channels of a call deleted from the in-flight map
// (internal/singleflight's DoChan): the call's channels are answered by
// the one goroutine that deletes it.

type Result struct {
	Val int
}

type call struct {
	chans []chan<- Result
	val   int
}

type Group struct {
	mu sync.Mutex
	m  map[string]*call
}

func (g *Group) DoChan(key string, fn func() int) <-chan Result {
	ch := make(chan Result, 1)
	g.mu.Lock()
	if g.m == nil {
		g.m = make(map[string]*call)
	}
	if c, ok := g.m[key]; ok {
		c.chans = append(c.chans, ch)
		g.mu.Unlock()
		return ch
	}
	c := &call{chans: []chan<- Result{ch}}
	g.m[key] = c
	g.mu.Unlock()
	go g.doCall(c, key, fn)
	return ch
}

// doCall is clean: it deletes c from the map before it answers.
func (g *Group) doCall(c *call, key string, fn func() int) {
	c.val = fn()
	g.mu.Lock()
	if g.m[key] == c {
		delete(g.m, key)
	}
	for _, ch := range c.chans {
		ch <- Result{c.val}
	}
	g.mu.Unlock()
}

// A publisher that keeps its subscribers sends on the same channels
// again on every event: a slow subscriber fills its buffer.

type Event struct{ N int }

type sub struct {
	ch chan Event
}

type Bus struct {
	mu   sync.Mutex
	subs []*sub
}

func (b *Bus) Subscribe() <-chan Event {
	ch := make(chan Event, 1)
	b.mu.Lock()
	b.subs = append(b.subs, &sub{ch: ch})
	b.mu.Unlock()
	return ch
}

func (b *Bus) Publish(n int) {
	b.mu.Lock()
	for _, s := range b.subs {
		s.ch <- Event{n} // want `b.mu held across blocking send on s.ch`
	}
	b.mu.Unlock()
}

// A map-taken reply channel that is answered, but whose requester gets
// a channel made by a caller in another package (exported parameter):
// its buffer is unknown.

type Waiters struct {
	mu sync.Mutex
	m  map[int]chan int
}

func (w *Waiters) Wait(id int, ch chan int) {
	w.mu.Lock()
	w.m[id] = ch
	w.mu.Unlock()
}

func (w *Waiters) Answer(id, v int) {
	w.mu.Lock()
	if ch, ok := w.m[id]; ok {
		delete(w.m, id)
		ch <- v // want `w.mu held across blocking send on ch`
	}
	w.mu.Unlock()
}

// The same with channels the package makes itself, buffered, and waits
// on: clean. (Channels are told apart by element type: the rule holds
// for every channel of that element type in the package.)

type replyMsg struct{ v int }

type Replies struct {
	mu sync.Mutex
	m  map[int]chan replyMsg
}

func (r *Replies) Ask(id int) int {
	ch := make(chan replyMsg, 1)
	r.mu.Lock()
	r.m[id] = ch
	r.mu.Unlock()
	return (<-ch).v
}

func (r *Replies) Answer(id, v int) {
	r.mu.Lock()
	if ch, ok := r.m[id]; ok {
		delete(r.m, id)
		ch <- replyMsg{v}
	}
	r.mu.Unlock()
}

// Answering without deleting the entry lets a second Answer send on the
// same channel.
func (r *Replies) Broadcast(id, v int) {
	r.mu.Lock()
	if ch, ok := r.m[id]; ok {
		ch <- replyMsg{v} // want `r.mu held across blocking send on ch`
	}
	r.mu.Unlock()
}

// A reply channel also handed to a hook that other packages implement:
// the hook may send on it too, so its buffer may be full.

type hookMsg struct{ v int }

type Hook interface {
	Watch(ch chan hookMsg)
}

type Hooked struct {
	mu   sync.Mutex
	m    map[int]chan hookMsg
	Hook Hook
}

func (h *Hooked) Ask(id int) int {
	ch := make(chan hookMsg, 1)
	h.mu.Lock()
	h.m[id] = ch
	h.mu.Unlock()
	return (<-ch).v
}

func (h *Hooked) Answer(id, v int) {
	h.mu.Lock()
	if ch, ok := h.m[id]; ok {
		delete(h.m, id)
		ch <- hookMsg{v} // want `h.mu held across blocking send on ch`
	}
	h.mu.Unlock()
}
