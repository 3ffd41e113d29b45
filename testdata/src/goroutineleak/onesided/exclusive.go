package onesided

import (
	"context"
	"time"
)

// A renderer fed by one of several refresh strategies, picked once: each
// strategy is the only sender while it runs and closes done after its
// last send, so the renderer returns on done only once no send can
// follow.
type exRenderer struct {
	ctx    context.Context
	render chan time.Time
	done   chan struct{}
	manual chan time.Time
}

func startExRenderer(ctx context.Context, manual chan time.Time, quiet bool) *exRenderer {
	r := &exRenderer{ctx: ctx, render: make(chan time.Time), done: make(chan struct{}), manual: manual}
	var strategy func(*exRenderer)
	switch {
	case quiet:
		strategy = (*exRenderer).none
	case manual != nil:
		strategy = (*exRenderer).byHand
	default:
		strategy = (*exRenderer).byTicker
	}
	go r.serve()
	go strategy(r)
	return r
}

func (r *exRenderer) byTicker() {
	tk := time.NewTicker(time.Millisecond)
	defer tk.Stop()
	for {
		select {
		case t := <-tk.C:
			r.render <- t // ok: only this strategy runs, and it closes done after its last send
		case <-r.ctx.Done():
			close(r.done)
			return
		}
	}
}

func (r *exRenderer) byHand() {
	for {
		select {
		case t := <-r.manual:
			r.render <- t // ok: the same
		case <-r.ctx.Done():
			close(r.done)
			return
		}
	}
}

func (r *exRenderer) none() {
	<-r.ctx.Done()
	close(r.done)
}

func (r *exRenderer) serve() {
	n := 0
	for {
		select {
		case <-r.render:
			n++
		case <-r.done:
			_ = n
			return
		}
	}
}

// Two senders that both run: the renderer returns when the ticker's
// strategy closes done, and the hand-fed one's send then blocks.
type exBoth struct {
	ctx    context.Context
	render chan time.Time
	done   chan struct{}
	manual chan time.Time
}

func startExBoth(ctx context.Context, manual chan time.Time) *exBoth {
	r := &exBoth{ctx: ctx, render: make(chan time.Time), done: make(chan struct{}), manual: manual}
	go r.serve()
	go r.byTicker()
	go r.byHand()
	return r
}

func (r *exBoth) byTicker() {
	tk := time.NewTicker(time.Millisecond)
	defer tk.Stop()
	for {
		select {
		case t := <-tk.C:
			r.render <- t // want `goroutine leak: the send on render blocks for ever once the goroutine that receives it has returned on its stop case`
		case <-r.ctx.Done():
			close(r.done)
			return
		}
	}
}

func (r *exBoth) byHand() {
	for t := range r.manual {
		r.render <- t
	}
}

func (r *exBoth) serve() {
	for {
		select {
		case <-r.render:
		case <-r.done:
			return
		}
	}
}
