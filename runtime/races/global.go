package races

import (
	"sync"
	"sync/atomic"
)

// badServed counts the requests served by BadGlobal's handlers.
var badServed int

// BadGlobal serves reqs requests, one goroutine each; every handler
// bumps the package-level counter badServed without synchronization.
func BadGlobal(reqs int) int {
	badServed = 0
	var wg sync.WaitGroup
	for range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			badServe()
		}()
	}
	wg.Wait()
	return badServed
}

func badServe() {
	badServed++ // race: BadGlobal
}

var (
	goodServedMu sync.Mutex
	goodServed   int // guarded by goodServedMu
)

// GoodGlobalMutex guards its package-level counter with a mutex.
func GoodGlobalMutex(reqs int) int {
	var wg sync.WaitGroup
	for range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			goodServeMutex()
		}()
	}
	wg.Wait()
	goodServedMu.Lock()
	defer goodServedMu.Unlock()
	return goodServed
}

func goodServeMutex() {
	goodServedMu.Lock()
	goodServed++
	goodServedMu.Unlock()
}

// goodServedAtomic counts the requests served by GoodGlobalAtomic.
var goodServedAtomic atomic.Int64

// GoodGlobalAtomic makes its package-level counter an atomic.Int64.
func GoodGlobalAtomic(reqs int) int {
	var wg sync.WaitGroup
	for range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			goodServedAtomic.Add(1)
		}()
	}
	wg.Wait()
	return int(goodServedAtomic.Load())
}
