// Package waitgroup pairs each WaitGroup that can wait for ever with a
// clean twin.
package waitgroup

import (
	"errors"
	"os"
	"sync"
)

func fetch(i int) error {
	if i < 0 {
		return errors.New("negative")
	}
	return nil
}

// badEarlyReturn: a failed fetch returns before Done.
func badEarlyReturn(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			if err := fetch(i); err != nil {
				return // want `goroutine leak: the goroutine returns here without calling wg.Done, so wg.Wait in badEarlyReturn blocks for ever; defer wg.Done\(\) at the top of the goroutine`
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

// goodDeferredDone: every return calls Done.
func goodDeferredDone(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fetch(i); err != nil {
				return
			}
		}()
	}
	wg.Wait()
}

// goodDoneOnEveryPath: both paths call Done.
func goodDoneOnEveryPath(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			if err := fetch(i); err != nil {
				wg.Done()
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

// goodExits: the only path without Done ends the program.
func goodExits(n int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if err := fetch(n); err != nil {
			os.Exit(1)
		}
		wg.Done()
	}()
	wg.Wait()
}

// worker gets the group as a parameter.
func worker(i int, wg *sync.WaitGroup) {
	if fetch(i) != nil {
		return // want `goroutine leak: the goroutine returns here without calling wg.Done, so wg.Wait in badParam blocks for ever`
	}
	wg.Done()
}

// badParam passes the group to a function that skips Done on error.
func badParam(n int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go worker(n, &wg)
	wg.Wait()
}

// finish calls Done for its caller.
func finish(wg *sync.WaitGroup) { wg.Done() }

// goodHelperDone: the group goes to a helper this check does not
// follow, which may call Done.
func goodHelperDone(n int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if fetch(n) != nil {
			finish(&wg)
			return
		}
		wg.Done()
	}()
	wg.Wait()
}

// goodNoWait: nobody waits, so nobody blocks.
func goodNoWait(n int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if fetch(n) != nil {
			return
		}
		wg.Done()
	}()
}

type plugin struct{ name string }

// badWaitInLoop counts every plugin before the loop, then waits in the
// loop after starting one.
func badWaitInLoop(plugins []*plugin) {
	var group sync.WaitGroup
	group.Add(len(plugins))
	for _, p := range plugins {
		go func(p *plugin) {
			defer group.Done()
			_ = p.name
		}(p)
		group.Wait() // want `goroutine leak: group.Wait inside the loop waits for every goroutine that group.Add counted before the loop, but only the iterations so far have started theirs: it blocks for ever`
	}
}

// goodWaitAfterLoop waits once all are started.
func goodWaitAfterLoop(plugins []*plugin) {
	var group sync.WaitGroup
	group.Add(len(plugins))
	for _, p := range plugins {
		go func(p *plugin) {
			defer group.Done()
			_ = p.name
		}(p)
	}
	group.Wait()
}

// goodWaitPerIteration counts and waits per iteration.
func goodWaitPerIteration(plugins []*plugin) {
	var group sync.WaitGroup
	for _, p := range plugins {
		group.Add(1)
		go func(p *plugin) {
			defer group.Done()
			_ = p.name
		}(p)
		group.Wait()
	}
}

// goodDonePerItem: the group counts messages, each goroutine calls Done
// once per message it sends.
func goodDonePerItem(batches []int) {
	var wg sync.WaitGroup
	for _, n := range batches {
		wg.Add(n)
		go func(n int) {
			for i := 0; i < n; i++ {
				if fetch(i) != nil {
					return
				}
				wg.Done()
			}
		}(n)
	}
	wg.Wait()
}

// goodOneEvent: the group counts one event, which whichever goroutine
// sees it signals; the others return without Done by design.
func goodOneEvent(n, target int) {
	var finished sync.WaitGroup
	finished.Add(1)
	for i := 0; i < n; i++ {
		go func(i int) {
			if i == target {
				finished.Done()
			}
		}(i)
	}
	finished.Wait()
}

// goodTickerLoop: the loop over the ticker never ends; its only return
// calls Done.
func goodTickerLoop(stop chan struct{}, tick <-chan int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		for range tick {
			select {
			case <-stop:
				wg.Done()
				return
			default:
			}
		}
	}()
	wg.Wait()
}
