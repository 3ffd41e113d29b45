// Package regress holds clean look-alikes found in the standard library:
// none of them may be reported.
package regress

import (
	"sync"
	"sync/atomic"
)

// Goroutines started in exclusive branches never run together
// (net/http h2 writeFrameAsync).
type framer struct{ buf []byte }

func (f *framer) write() { f.buf = append(f.buf, 1) }

func exclusive(f *framer, async bool) {
	if async {
		go f.write()
	} else {
		go f.write()
	}
}

// An atomic flag orders the plain write before the read
// (runtime debug_test).
func atomicFlag() int {
	var v int
	var ready uint32
	go func() {
		v = 1
		atomic.StoreUint32(&ready, 1)
	}()
	for atomic.LoadUint32(&ready) == 0 {
	}
	return v
}

// Lazy initialisation under a nil check (text/template init).
type tmpl struct{ common map[string]int }

func (t *tmpl) init() {
	if t.common == nil {
		t.common = map[string]int{}
	}
}

func lazy(t *tmpl, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.init()
		}()
	}
	wg.Wait()
}

// A hand-made lock (internal/poll fdMutex).
type xmutex struct{ state uint64 }

func (m *xmutex) rwlock(read bool) bool   { return true }
func (m *xmutex) rwunlock(read bool) bool { return true }

func customLock(n int) {
	var mu xmutex
	var state [2]int
	done := make(chan bool)
	for i := 0; i < n; i++ {
		go func() {
			if mu.rwlock(false) {
				state[0]++
				mu.rwunlock(false)
			}
			done <- true
		}()
	}
	for i := 0; i < n; i++ {
		<-done
	}
}

// The goroutine signals from a closure it passes to a helper
// (runtime tracestack_test).
func callWith(f func()) { f() }

func signalInClosure() int {
	ready := make(chan struct{})
	var v int
	go func() {
		v = 1
		callWith(func() {
			ready <- struct{}{}
		})
	}()
	<-ready
	return v
}

// Each goroutine writes a computed block of the matrix (runtime
// proc_test matmult).
func matmult(done chan bool, c [][]int, lo, hi int) {
	if hi-lo > 1 {
		mid := (lo + hi) / 2
		d := make(chan bool, 1)
		go matmult(d, c, lo, mid)
		matmult(nil, c, mid, hi)
		<-d
	} else {
		for j := range c[lo] {
			c[lo][j] = lo * j
		}
	}
	if done != nil {
		done <- true
	}
}

// A deferred cleanup that runs only when the goroutine was not started
// (os/exec Start).
type cmd struct{ pipes []int }

func (c *cmd) watch() { _ = c.pipes }

func (c *cmd) start() (err error) {
	started := false
	defer func() {
		if !started {
			c.pipes = nil
		}
	}()
	started = true
	go c.watch()
	return nil
}

// Recursive divide and conquer: the goroutine and the spawner's own call
// work on disjoint index ranges (runtime proc_test matmult, 2-D).
func matmult2(done chan<- struct{}, c [][]int, i0, i1, j0, j1 int) {
	if i1-i0 > 1 {
		mi := i0 + (i1-i0)/2
		done1 := make(chan struct{}, 1)
		go matmult2(done1, c, i0, mi, j0, j1)
		matmult2(nil, c, mi, i1, j0, j1)
		<-done1
	} else {
		for i := i0; i < i1; i++ {
			for j := j0; j < j1; j++ {
				c[i][j] += i * j
			}
		}
	}
	if done != nil {
		done <- struct{}{}
	}
}

// A closure handed to another package that runs it later, one at a
// time (testing T.Cleanup).
type cleaner interface{ Cleanup(func()) }

func cleanups(t interface{ Cleanup(func()) }) int {
	n := 0
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			t.Cleanup(func() { n |= 1 << i })
			wg.Done()
		}()
	}
	wg.Wait()
	return n
}

// Returning a named result stores it to itself; the goroutine only
// reads it (race detector issue 4014).
func noRaceReturn(c chan int) (a, b int) {
	a = 42
	go func() {
		_ = a
		c <- 1
	}()
	return a, 10
}

// A closure registered with a function of this package that stores it
// for later, sequential calls (testing T.Cleanup inside package testing).
type tt struct {
	mu  sync.Mutex
	fns []func() // want fns:"guarded\\(mu\\)"
}

func (t *tt) cleanup(f func()) {
	t.mu.Lock()
	t.fns = append(t.fns, f)
	t.mu.Unlock()
}

func registerCleanups(t *tt) int {
	n := 0
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			t.cleanup(func() { n |= 1 << i })
			wg.Done()
		}()
	}
	wg.Wait()
	return n
}
