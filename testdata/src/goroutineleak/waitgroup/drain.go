package waitgroup

import (
	"context"
	"sync"

	"golang.org/x/sync/errgroup"
)

func load(id int) (string, error) { return "", nil }

// fetchAll waits for workers that cannot finish until it receives.
func fetchAll(ids []int) []string {
	var wg sync.WaitGroup
	pages := make(chan string)
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, _ := load(id)
			pages <- p
		}()
	}
	wg.Wait() // want `goroutine leak: wg.Wait in fetchAll blocks for ever: the goroutines it waits for block sending on pages, which is unbuffered and which fetchAll receives from only after the Wait`
	close(pages)
	var out []string
	for p := range pages {
		out = append(out, p)
	}
	return out
}

// fetchAllCloser waits in a goroutine of its own and receives at once.
func fetchAllCloser(ids []int) []string {
	var wg sync.WaitGroup
	pages := make(chan string)
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, _ := load(id)
			pages <- p
		}()
	}
	go func() {
		wg.Wait()
		close(pages)
	}()
	var out []string
	for p := range pages {
		out = append(out, p)
	}
	return out
}

// fetchAllBuffered has room for every send before it waits.
func fetchAllBuffered(ids []int) []string {
	var wg sync.WaitGroup
	pages := make(chan string, len(ids))
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, _ := load(id)
			pages <- p
		}()
	}
	wg.Wait()
	close(pages)
	var out []string
	for p := range pages {
		out = append(out, p)
	}
	return out
}

// firstError waits for one worker whose error send comes before Done.
func firstError(id int) error {
	var wg sync.WaitGroup
	errs := make(chan error)
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, err := load(id); err != nil {
			errs <- err
		}
	}()
	wg.Wait() // want `goroutine leak: wg.Wait in firstError blocks for ever: the goroutine it waits for blocks sending on errs`
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

// doneFirst counts down before it sends: the Wait returns, then the
// receive takes the value.
func doneFirst(id int) string {
	var wg sync.WaitGroup
	out := make(chan string)
	wg.Add(1)
	go func() {
		p, _ := load(id)
		wg.Done()
		out <- p
	}()
	wg.Wait()
	return <-out
}

// pair counts two goroutines and starts one.
func pair() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		load(1)
	}()
	wg.Wait() // want `goroutine leak: wg.Wait in pair blocks for ever: wg.Add counts 2 but at most 1 wg.Done call runs`
}

// pairBoth starts the two it counts.
func pairBoth() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		load(1)
	}()
	go func() {
		defer wg.Done()
		load(2)
	}()
	wg.Wait()
}

// pairSelf counts itself down for the one it does inline.
func pairSelf() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		load(1)
	}()
	load(2)
	wg.Done()
	wg.Wait()
}

// pairLoop starts its goroutines in a loop whose count is not followed.
func pairLoop() {
	var wg sync.WaitGroup
	wg.Add(3)
	for i := range 3 {
		go func() {
			defer wg.Done()
			load(i)
		}()
	}
	wg.Wait()
}

// pairBranch counts on one path only.
func pairBranch(both bool) {
	var wg sync.WaitGroup
	if both {
		wg.Add(2)
		go func() { defer wg.Done(); load(2) }()
	} else {
		wg.Add(1)
	}
	go func() { defer wg.Done(); load(1) }()
	wg.Wait()
}

// fetchAllGo starts its workers with WaitGroup.Go, which counts each
// down when it returns: after its send.
func fetchAllGo(ids []int) []string {
	var wg sync.WaitGroup
	pages := make(chan string)
	for _, id := range ids {
		wg.Go(func() {
			p, _ := load(id)
			pages <- p
		})
	}
	wg.Wait() // want `goroutine leak: wg.Wait in fetchAllGo blocks for ever: the goroutines it waits for block sending on pages`
	close(pages)
	var out []string
	for p := range pages {
		out = append(out, p)
	}
	return out
}

// fetchAllGoCloser waits in a goroutine of its own.
func fetchAllGoCloser(ids []int) []string {
	var wg sync.WaitGroup
	pages := make(chan string)
	for _, id := range ids {
		wg.Go(func() {
			p, _ := load(id)
			pages <- p
		})
	}
	go func() {
		wg.Wait()
		close(pages)
	}()
	var out []string
	for p := range pages {
		out = append(out, p)
	}
	return out
}

// fetchAllGroup sends from errgroup members before they return.
func fetchAllGroup(ids []int) ([]string, error) {
	var g errgroup.Group
	pages := make(chan string)
	for _, id := range ids {
		g.Go(func() error {
			p, err := load(id)
			if err != nil {
				return err
			}
			pages <- p
			return nil
		})
	}
	if err := g.Wait(); err != nil { // want `goroutine leak: g.Wait in fetchAllGroup blocks for ever: the goroutines it waits for block sending on pages`
		return nil, err
	}
	close(pages)
	var out []string
	for p := range pages {
		out = append(out, p)
	}
	return out, nil
}

// fetchAllGroupCtx's members give up when the context ends.
func fetchAllGroupCtx(ctx context.Context, ids []int) ([]string, error) {
	g, ctx := errgroup.WithContext(ctx)
	pages := make(chan string)
	for _, id := range ids {
		g.Go(func() error {
			p, err := load(id)
			if err != nil {
				return err
			}
			select {
			case pages <- p:
			case <-ctx.Done():
				return ctx.Err()
			}
			return nil
		})
	}
	go func() {
		g.Wait()
		close(pages)
	}()
	var out []string
	for p := range pages {
		out = append(out, p)
	}
	return out, g.Wait()
}

// pairSameLiteral starts one function literal twice.
func pairSameLiteral() {
	var wg sync.WaitGroup
	work := func() {
		defer wg.Done()
		load(1)
	}
	wg.Add(2)
	go work()
	go work()
	wg.Wait()
}

// pairLiteralCalled also calls the literal inline: not counted.
func pairLiteralCalled() {
	var wg sync.WaitGroup
	work := func() {
		defer wg.Done()
		load(1)
	}
	wg.Add(2)
	go work()
	work()
	wg.Wait()
}

// workersShort counts four and a loop bounded by constants starts three.
func workersShort() {
	var wg sync.WaitGroup
	wg.Add(4)
	for i := range 3 {
		go func() {
			defer wg.Done()
			load(i)
		}()
	}
	wg.Wait() // want `goroutine leak: wg.Wait in workersShort blocks for ever: wg.Add counts 4 but at most 3 wg.Done calls run`
}

// workersCounted counts the three the loop starts.
func workersCounted() {
	var wg sync.WaitGroup
	wg.Add(3)
	for i := 0; i < 3; i++ {
		go func() {
			defer wg.Done()
			load(i)
		}()
	}
	wg.Wait()
}

// workersBounded counts n, which the loop starts: not counted.
func workersBounded(n int) {
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			defer wg.Done()
			load(i)
		}()
	}
	wg.Wait()
}
