package regress

import (
	"context"
	"errors"
	"sync"
)

// ---- A request carries its own reply channel with a buffer of one;
// the handler answers on exclusive branches, each followed by a return
// (go-libp2p-pubsub's addValReq): one send per run fills the buffer at
// most.

type addReq struct {
	name string
	resp chan error
}

type Registry struct {
	mu    sync.Mutex
	names map[string]bool
	reqs  chan *addReq
}

func (r *Registry) Add(name string) error {
	req := &addReq{name: name, resp: make(chan error, 1)}
	r.reqs <- req
	return <-req.resp
}

func (r *Registry) loop() {
	for req := range r.reqs {
		r.handle(req)
	}
}

func (r *Registry) handle(req *addReq) { // ok: one answer per path
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.names[req.name] {
		req.resp <- errors.New("duplicate")
		return
	}
	r.names[req.name] = true
	req.resp <- nil
}

func (r *Registry) handleTwice(req *addReq) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names[req.name] = true
	req.resp <- nil // want `r.mu held across blocking send on req.resp \(and 1 more blocking operation in the same critical section\)`
	req.resp <- nil
}

// ---- Pending calls in a map, each answered once after it is removed
// from the map, in a loop over a batch of responses (jrpc2's
// filterBatchLocked); the waiter's only call of a function value is the
// context's cancel func it keeps in a field.

type reply struct{ id, v int }

type waiting struct {
	ch     chan reply
	cancel func()
}

func newWaiting(ctx context.Context) (context.Context, *waiting) {
	ctx, cancel := context.WithCancel(ctx)
	return ctx, &waiting{ch: make(chan reply, 1), cancel: cancel}
}

func (w *waiting) wait() reply {
	r := <-w.ch
	w.cancel()
	return r
}

type Conn struct {
	mu      sync.Mutex
	pending map[int]*waiting
	served  int
}

func (c *Conn) Call(ctx context.Context, id int) reply {
	_, w := newWaiting(ctx)
	c.mu.Lock()
	c.pending[id] = w
	c.mu.Unlock()
	return w.wait()
}

func (c *Conn) deliver(batch []reply) { // ok: each entry answered once, after its removal
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range batch {
		if w := c.pending[r.id]; w != nil {
			delete(c.pending, r.id)
			w.ch <- r
			c.served++
		}
	}
}

// Without the removal a later response with the same id finds the
// entry again and fills its buffer.
func (c *Conn) deliverKept(batch []reply) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range batch {
		if w := c.pending[r.id]; w != nil {
			w.ch <- r // want `c.mu held across blocking send on w.ch`
			c.served++
		}
	}
}
