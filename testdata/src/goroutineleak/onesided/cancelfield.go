package onesided

import (
	"context"
	"time"
)

// BAD: the cancel function goes into a field that nothing calls, so the
// watcher waits for the parent context alone.
type rows struct {
	cancel context.CancelFunc
}

func (r *rows) start(ctx context.Context) {
	ctx, r.cancel = context.WithCancel(ctx)
	go r.await(ctx) // want `goroutine leak: the goroutine waits for ctx.Done\(\), but the cancel function stored in the field cancel is never called: only the parent context's end stops it`
}

func (r *rows) await(ctx context.Context) {
	<-ctx.Done()
}

// A nil check is not a call.
func (r *rows) started() bool { return r.cancel != nil }

// GOOD: Close calls the cancel function.
type closedRows struct {
	cancel context.CancelFunc
}

func (r *closedRows) start(ctx context.Context) {
	ctx, r.cancel = context.WithTimeout(ctx, time.Minute)
	go r.await(ctx)
}

func (r *closedRows) await(ctx context.Context) {
	<-ctx.Done()
}

func (r *closedRows) Close() { r.cancel() }

// GOOD: the cancel function is handed on to whoever stops the stream.
type handedRows struct {
	cancel context.CancelFunc
}

func (r *handedRows) start(ctx context.Context, stops chan<- func()) {
	ctx, r.cancel = context.WithCancel(ctx)
	go r.await(ctx)
	stops <- r.cancel
}

func (r *handedRows) await(ctx context.Context) {
	<-ctx.Done()
}

// GOOD: the goroutine also leaves on its own stop channel.
type stoppableRows struct {
	cancel context.CancelFunc
	stop   chan struct{}
}

func (r *stoppableRows) start(ctx context.Context) {
	ctx, r.cancel = context.WithCancel(ctx)
	r.stop = make(chan struct{})
	go r.await(ctx)
}

func (r *stoppableRows) await(ctx context.Context) {
	select {
	case <-ctx.Done():
	case <-r.stop:
	}
}

func (r *stoppableRows) Stop() { close(r.stop) }
