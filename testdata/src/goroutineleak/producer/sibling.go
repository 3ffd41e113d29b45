package producer

import (
	"context"
	"sync"

	"golang.org/x/sync/errgroup"
)

// pipelineBad: the consumer returns on the first error while the
// producer, its sibling, still sends; errgroup's Wait then waits for a
// producer that never returns.
func pipelineBad(ctx context.Context, items []int, f func(int) error) error {
	g, ctx := errgroup.WithContext(ctx)
	ch := make(chan int)
	g.Go(func() error {
		defer close(ch)
		for _, it := range items {
			ch <- it // want `goroutine leak: the send on ch blocks for ever once the goroutine that receives from it stops receiving: it can leave its receive loop before ch is closed`
		}
		return nil
	})
	g.Go(func() error {
		for it := range ch {
			if err := f(it); err != nil {
				return err
			}
		}
		return nil
	})
	return g.Wait()
}

// pipelineGood: the producer gives up on ctx.Done(), which the group
// cancels when the consumer returns its error.
func pipelineGood(ctx context.Context, items []int, f func(int) error) error {
	g, ctx := errgroup.WithContext(ctx)
	ch := make(chan int)
	g.Go(func() error {
		defer close(ch)
		for _, it := range items {
			select {
			case ch <- it:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	g.Go(func() error {
		for it := range ch {
			if err := f(it); err != nil {
				return err
			}
		}
		return nil
	})
	return g.Wait()
}

// siblingsStopBad: plain goroutines and a WaitGroup; the consumer
// leaves on a stop signal while the producer sends plainly.
func siblingsStopBad(stop <-chan struct{}, n int, use func(int)) {
	var wg sync.WaitGroup
	ch := make(chan int)
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; i < n; i++ {
			ch <- i // want `goroutine leak: the send on ch blocks for ever once the goroutine that receives from it stops receiving: it can leave its receive loop before ch is closed`
		}
		close(ch)
	}()
	go func() {
		defer wg.Done()
		for {
			select {
			case v, ok := <-ch:
				if !ok {
					return
				}
				use(v)
			case <-stop:
				return
			}
		}
	}()
	wg.Wait()
}

// siblingsDrainGood: the consumer keeps draining after an error, so
// the producer always finishes.
func siblingsDrainGood(items []int, f func(int) error) error {
	var wg sync.WaitGroup
	var first error
	ch := make(chan int)
	wg.Add(2)
	go func() {
		defer wg.Done()
		defer close(ch)
		for _, it := range items {
			ch <- it
		}
	}()
	go func() {
		defer wg.Done()
		for it := range ch {
			if first != nil {
				continue
			}
			first = f(it)
		}
	}()
	wg.Wait()
	return first
}

// siblingsManyGood: several consumers; one leaving early does not
// strand the producer while the others still receive.
func siblingsManyGood(items []int, f func(int) error) {
	var wg sync.WaitGroup
	ch := make(chan int)
	go func() {
		defer close(ch)
		for _, it := range items {
			ch <- it
		}
	}()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range ch {
				if f(it) != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
}

// siblingsBufferedGood: a buffer the size of the work holds every send.
func siblingsBufferedGood(items []int, f func(int) error) error {
	g := new(errgroup.Group)
	ch := make(chan int, len(items))
	g.Go(func() error {
		defer close(ch)
		for _, it := range items {
			ch <- it
		}
		return nil
	})
	g.Go(func() error {
		for it := range ch {
			if err := f(it); err != nil {
				return err
			}
		}
		return nil
	})
	return g.Wait()
}
