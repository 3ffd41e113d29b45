// Package optlockuse calls a registry from several goroutines: through
// the wrapper's lock, and without it.
package optlockuse

import (
	"sync"

	"sharedaccess/crosspkg/optlock"
)

func AddMany() { // want AddMany:`accesses\(r g:sharedaccess/crosspkg/optlock\.guarded; r g:sharedaccess/crosspkg/optlock\.guarded\.mu\.off; r g:sharedaccess/crosspkg/optlock\.guarded\.mu\.off \[custom:\*optlock\.switchMutex\]; w g:sharedaccess/crosspkg/optlock\.guarded\.names \[custom:\*optlock\.switchMutex\]; r g:sharedaccess/crosspkg/optlock\.guarded\.names \[custom:\*optlock\.switchMutex\]; r g:sharedaccess/crosspkg/optlock\.guarded\.names\[\] \[custom:\*optlock\.switchMutex\]\)`
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			optlock.Add("x") // ok: under the wrapper's lock
		}()
	}
	wg.Wait()
}

func AddManyBare() { // want AddManyBare:`accesses\(r g:sharedaccess/crosspkg/optlock\.bare; w g:sharedaccess/crosspkg/optlock\.bare\.names; r g:sharedaccess/crosspkg/optlock\.bare\.names; r g:sharedaccess/crosspkg/optlock\.bare\.names\[\]\)`
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			optlock.AddBare("x") // want `unsynchronized write to bare\.names`
		}()
	}
	wg.Wait()
}
