package leaks

import "context"

// Fetcher loads the value stored under key, from a remote store, say.
type Fetcher func(ctx context.Context, key string) (string, error)

type fetched struct {
	val string
	err error
}

// BadFetch runs fetch on a goroutine so that it can give up when ctx
// ends. When it does, nobody is left to receive from ch: the
// goroutine's send, once fetch returns, blocks for ever, and with it
// everything the goroutine holds. Each timed-out call leaks one
// goroutine.
func BadFetch(ctx context.Context, fetch Fetcher, key string) (string, error) {
	ch := make(chan fetched)
	go func() {
		val, err := fetch(ctx, key)
		ch <- fetched{val, err}
	}()
	select {
	case r := <-ch:
		return r.val, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// GoodFetch gives ch a buffer of one: the goroutine's only send never
// waits for a receiver, so the goroutine ends whether or not GoodFetch
// is still there to read the result.
func GoodFetch(ctx context.Context, fetch Fetcher, key string) (string, error) {
	ch := make(chan fetched, 1)
	go func() {
		val, err := fetch(ctx, key)
		ch <- fetched{val, err}
	}()
	select {
	case r := <-ch:
		return r.val, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// GoodFetchSelect keeps ch unbuffered, and the goroutine sends in a
// select beside ctx.Done(): once the caller has given up, the context
// has ended too and the goroutine returns instead of sending.
func GoodFetchSelect(ctx context.Context, fetch Fetcher, key string) (string, error) {
	ch := make(chan fetched)
	go func() {
		val, err := fetch(ctx, key)
		select {
		case ch <- fetched{val, err}:
		case <-ctx.Done():
		}
	}()
	select {
	case r := <-ch:
		return r.val, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
