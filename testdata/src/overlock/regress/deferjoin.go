package regress

import "sync"

// A worker that sends its result in a deferred call, even after a
// panic (go-cmp runs a user's comparer so, to let the race detector see
// it): the receive waits only for the worker's own computation.

func djSum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

func djDetect(c chan<- int, xs []int) {
	var ret int
	defer func() {
		recover()
		c <- ret
	}()
	ret = djSum(xs)
}

func djChecked(xs []int) int {
	c := make(chan int)
	go djDetect(c, xs)
	got := <-c
	if want := djSum(xs); got != want {
		panic("unstable")
	}
	return got
}

type djObserver struct {
	mu   sync.Mutex
	seen []int
}

// GOOD: the worker neither blocks nor takes a lock.
func (o *djObserver) total() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return djChecked(o.seen)
}

func (o *djObserver) detectLocked(c chan<- int) {
	var ret int
	defer func() {
		c <- ret
	}()
	o.mu.Lock()
	ret = len(o.seen)
	o.mu.Unlock()
}

// BAD: the worker needs the lock the receiver holds.
func (o *djObserver) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	c := make(chan int)
	go o.detectLocked(c)
	return <-c // want `o.mu held across blocking receive from c`
}
