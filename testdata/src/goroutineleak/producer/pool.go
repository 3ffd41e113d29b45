package producer

import (
	"context"
	"errors"
)

// A pool of workers, each sending one result per job in a loop, and a
// collector that returns on the first error or on cancellation: the
// workers still uploading block for ever on their plain sends. The
// twins let the workers give up with the collector (a select on the
// context it cancels on the way out) or collect every result.

type poolJob struct{ n int }

type poolResult struct {
	n   int
	err error
}

func poolWork(n int) error {
	if n%7 == 0 {
		return errors.New("bad part")
	}
	return nil
}

func poolFeed(ctx context.Context, jobs chan<- poolJob, n int) {
	defer close(jobs)
	for i := 0; i < n; i++ {
		select {
		case <-ctx.Done():
			return
		case jobs <- poolJob{i}:
		}
	}
}

func PoolUpload(ctx context.Context, parts, workers int) error {
	jobs := make(chan poolJob)
	results := make(chan poolResult)
	go poolFeed(ctx, jobs, parts)
	for w := 0; w < workers; w++ {
		go func() {
			for j := range jobs {
				results <- poolResult{j.n, poolWork(j.n)} // want `goroutine leak: the send on results blocks for ever once PoolUpload stops receiving: it leaves its receive loop on another case of its select while the goroutines started in a loop may still send`
			}
		}()
	}
	for i := 0; i < parts; i++ {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case r := <-results:
			if r.err != nil {
				return r.err
			}
		}
	}
	return nil
}

func PoolUploadCancel(ctx context.Context, parts, workers int) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan poolJob)
	results := make(chan poolResult)
	go poolFeed(ctx, jobs, parts)
	for w := 0; w < workers; w++ {
		go func() {
			for j := range jobs {
				select {
				case results <- poolResult{j.n, poolWork(j.n)}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	for i := 0; i < parts; i++ {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case r := <-results:
			if r.err != nil {
				return r.err
			}
		}
	}
	return nil
}

func PoolUploadAll(ctx context.Context, parts, workers int) error {
	jobs := make(chan poolJob)
	results := make(chan poolResult)
	go poolFeed(ctx, jobs, parts)
	for w := 0; w < workers; w++ {
		go func() {
			for j := range jobs {
				results <- poolResult{j.n, poolWork(j.n)}
			}
		}()
	}
	var first error
	for i := 0; i < parts; i++ {
		if r := <-results; r.err != nil && first == nil {
			first = r.err
		}
	}
	return first
}
