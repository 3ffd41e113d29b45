package sa2000

import "sync"

func bad(work []func()) {
	var wg sync.WaitGroup
	for _, f := range work {
		go func() {
			wg.Add(1) // want `should call wg.Add\(1\) before starting the goroutine`
			defer wg.Done()
			f()
		}()
	}
	wg.Wait()
}

func good(work []func()) {
	var wg sync.WaitGroup
	for _, f := range work {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f()
		}()
	}
	wg.Wait()
}
