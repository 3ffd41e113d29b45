package lostcancel

import "context"

func bad(ctx context.Context) context.Context {
	ctx, _ = context.WithCancel(ctx) // want `the cancel function returned by context.WithCancel should be called, not discarded`
	return ctx
}

func good(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	_ = ctx
}
