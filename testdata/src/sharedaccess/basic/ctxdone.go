package basic

import (
	"context"
	"sync"
	"time"
)

// A context's cancel function closes its Done channel: what the
// goroutine did before cancel() happens before <-ctx.Done() returns.

// GOOD: the worker cancels the context it shares with the waiter.
func cancelJoins() int {
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	go func() {
		n = 1
		cancel()
	}()
	<-ctx.Done()
	return n
}

// BAD: the worker cancels another context than the one waited for.
func cancelOther(parent context.Context) int {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	_, stop := context.WithCancel(parent)
	n := 0
	go func() {
		n = 1 // want `unsynchronized write to n: the goroutine running cancelOther\.func1 writes n, which cancelOther reads after the go statement`
		stop()
	}()
	<-ctx.Done()
	return n
}

// A package's own context type that embeds context.Context, made with
// its cancel function by one call.
type scoped struct {
	context.Context
	mu sync.Mutex
}

func newScoped() (*scoped, context.CancelFunc) {
	inner, cancel := context.WithCancel(context.Background())
	return &scoped{Context: inner}, cancel
}

// GOOD: Done of the embedded context is closed by the paired cancel.
func scopedJoins() int {
	ctx, cancel := newScoped()
	n := 0
	go func() {
		n = 2
		cancel()
	}()
	select {
	case <-ctx.Done():
	}
	return n
}

// GOOD: context.AfterFunc's function starts after the cancel, so it
// sees what came before.
func afterCancel() {
	ctx, cancel := context.WithCancel(context.Background())
	var msg string
	context.AfterFunc(ctx, func() { println(msg) })
	msg = "cancelled"
	cancel()
}

// BAD: the write after the cancel may run with the function.
func afterCancelLate() {
	ctx, cancel := context.WithCancel(context.Background())
	var msg string
	context.AfterFunc(ctx, func() { println(msg) }) // want `unsynchronized read of msg: the goroutine running afterCancelLate\.func1 reads msg, which afterCancelLate writes after the AfterFunc call`
	cancel()
	msg = "too late"
}

// BAD: a timeout may end the context before the worker cancels it.
func cancelOrTimeout() int {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	n := 0
	go func() {
		n = 3 // want `unsynchronized write to n: the goroutine running cancelOrTimeout\.func1 writes n, which cancelOrTimeout reads after the go statement`
		cancel()
	}()
	<-ctx.Done()
	return n
}
