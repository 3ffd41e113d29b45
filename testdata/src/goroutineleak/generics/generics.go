// Package generics: leaks in generic functions, and clean twins.
package generics

import "context"

// badFirst returns the first result of any producer; the others block.
func badFirst[T any](ps []func() T) T {
	ch := make(chan T)
	for _, p := range ps {
		go func() {
			ch <- p() // want `goroutine leak: sends on ch from the goroutines started in a loop block for ever when badFirst returns before receiving them all`
		}()
	}
	return <-ch
}

// goodFirst has room for every result.
func goodFirst[T any](ps []func() T) T {
	ch := make(chan T, len(ps))
	for _, p := range ps {
		go func() { ch <- p() }()
	}
	return <-ch
}

// badWait gives up on ctx without draining the result.
func badWait[T any](ctx context.Context, f func() T) (T, error) {
	ch := make(chan T)
	go func() {
		ch <- f() // want `goroutine leak: the send on ch blocks for ever when badWait returns without receiving from it`
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
