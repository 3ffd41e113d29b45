package recall

import (
	"sync"
	"time"
)

// until runs f until stop is closed, the shape of wait.Until.
func until(f func(), stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		func() {
			f()
		}()
	}
}

type poller struct {
	mu    sync.Mutex
	polls int // want polls:"guarded\\(mu\\)"
}

func (p *poller) poll() {
	p.polls++ // want `unsynchronized write to p\.polls: the goroutine running until writes p\.polls, which badCallback reads after the go statement`
}

func (p *poller) pollLocked() {
	p.mu.Lock()
	p.polls++
	p.mu.Unlock()
}

// The method value handed to until runs on the new goroutine.
func badCallback(p *poller, stop chan struct{}) int {
	go until(p.poll, stop)
	return p.polls
}

func goodCallback(p *poller, stop chan struct{}) int {
	go until(p.pollLocked, stop)
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.polls
}

// forEach calls fn for every piece on its own goroutines.
func forEach(pieces int, fn func(int)) {
	var wg sync.WaitGroup
	for i := 0; i < pieces; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			fn(i)
		}(i)
	}
	wg.Wait()
}

type tally struct {
	mu    sync.Mutex
	total int
	parts []int
}

// A closure passed down and called in a goroutine writes the caller's
// variable; the caller reads it after the goroutine has started.
func badClosureArg() int {
	found := 0
	done := make(chan struct{})
	go func(check func()) {
		check()
		close(done)
	}(func() { found++ }) // want `unsynchronized write to found: the goroutine running badClosureArg\.func1 writes found, which badClosureArg reads after the go statement`
	n := found
	<-done
	return n
}

func goodClosureArg() int {
	found := 0
	done := make(chan struct{})
	go func(check func()) {
		check()
		close(done)
	}(func() { found++ })
	<-done
	return found
}

// A helper called on the goroutine sends after writing: the send orders
// the write before the spawner's receive.
func goodHelperSend() int {
	v := 0
	c := make(chan int)
	set := func() {
		v = 1
		c <- 0
	}
	go func() {
		set()
	}()
	<-c
	return v
}

// A stopped timer fires only after Reset, which comes after the write.
func goodTimerReset(t *time.Timer) int {
	v := 0
	c := make(chan int)
	set := func() {
		v = 1
		c <- 0
	}
	go func() {
		<-t.C
		set()
	}()
	t.Stop()
	v = 2
	t.Reset(time.Millisecond)
	<-c
	return v
}

func badTimerReset(t *time.Timer) int {
	v := 0
	c := make(chan int)
	set := func() {
		v = 1 // want `unsynchronized write to v: the goroutine running badTimerReset\.func2 writes v, which badTimerReset writes after the go statement`
		c <- 0
	}
	go func() {
		<-t.C
		set()
	}()
	t.Reset(time.Millisecond)
	v = 2
	<-c
	return v
}

// A function stored in a field by the spawner runs on the goroutine.
type notifier struct {
	onDone func()
	done   chan struct{}
}

func (n *notifier) wait() {
	n.onDone()
	close(n.done)
}

func badFieldCallback() int {
	calls := 0
	n := &notifier{done: make(chan struct{})}
	n.onDone = func() { calls++ } // want `unsynchronized write to calls: the goroutine running \(\*notifier\)\.wait writes calls, which badFieldCallback reads after the go statement`
	go n.wait()
	c := calls
	<-n.done
	return c
}

func goodFieldCallback() int {
	calls := 0
	n := &notifier{done: make(chan struct{})}
	n.onDone = func() { calls++ }
	go n.wait()
	<-n.done
	return calls
}

// A stopped AfterFunc timer runs its function only after Reset.
func goodAfterFuncReset() int {
	v := 0
	c := make(chan int)
	t := time.AfterFunc(time.Hour, func() {
		v = 1
		c <- 0
	})
	t.Stop()
	v = 2
	t.Reset(time.Millisecond)
	<-c
	return v
}

// Before Stop, the timer may already have fired.
func badAfterFuncBeforeStop() int {
	v := 0
	c := make(chan int, 1)
	t := time.AfterFunc(time.Millisecond, func() {
		v = 1 // want `unsynchronized write to v: the goroutine running badAfterFuncBeforeStop\.func1 writes v, which badAfterFuncBeforeStop writes after the AfterFunc call`
		c <- 0
	})
	v = 2
	t.Stop()
	t.Reset(time.Millisecond)
	<-c
	return v
}
