package basic

import (
	"context"
	"time"
)

// The timer's callback sends on an unbuffered channel that the function
// stops receiving from when the context ends first: Stop does not stop
// a callback that has already started, which then blocks for ever.
func waitDeadline(ctx context.Context, d time.Duration) error {
	fired := make(chan struct{})
	t := time.AfterFunc(d, func() { fired <- struct{}{} }) // want `goroutine leak: the send on fired blocks for ever when waitDeadline returns without receiving from it`
	select {
	case <-fired:
		return nil
	case <-ctx.Done():
		t.Stop()
		return ctx.Err()
	}
}

// The callback's one send fits in the buffer.
func waitDeadlineBuffered(ctx context.Context, d time.Duration) error {
	fired := make(chan struct{}, 1)
	t := time.AfterFunc(d, func() { fired <- struct{}{} })
	select {
	case <-fired:
		return nil
	case <-ctx.Done():
		t.Stop()
		return ctx.Err()
	}
}

// The function waits for the timer whatever happens.
func sleepFor(d time.Duration) {
	fired := make(chan struct{})
	time.AfterFunc(d, func() { fired <- struct{}{} })
	<-fired
}
