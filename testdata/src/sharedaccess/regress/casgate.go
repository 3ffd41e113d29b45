package regress

import (
	"errors"
	"sync"
	"sync/atomic"
)

// A compare-and-swap from idle to busy lets one goroutine at a time past
// it: what runs there (set-up in a callee, its deferred clean-up too) is
// exclusive with what runs past another such gate of the same field.
type casPool struct {
	state int32
	conns []int
}

var errNoConns = errors.New("no conns")

func (p *casPool) drop() { p.conns = nil }

func (p *casPool) fill(n int) (err error) {
	defer func() {
		if err != nil {
			p.drop() // ok: past the gate
		}
	}()
	if n <= 0 {
		return errNoConns
	}
	p.conns = make([]int, n)
	return nil
}

func (p *casPool) refill(n int) {
	if !atomic.CompareAndSwapInt32(&p.state, 0, 1) {
		return
	}
	_ = p.fill(n)
	atomic.StoreInt32(&p.state, 0)
}

func refillAll(p *casPool) {
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.refill(i)
		}()
	}
	wg.Wait()
}

// A gate that swaps a value for itself excludes no one.
type casOpen struct {
	state int32
	conns []int
}

func (p *casOpen) drop() { p.conns = nil } // want `unsynchronized write to p\.conns: goroutines running refillOpen\.func1 may run at once and each writes p\.conns`

func (p *casOpen) fill(n int) (err error) {
	defer func() {
		if err != nil {
			p.drop()
		}
	}()
	if n <= 0 {
		return errNoConns
	}
	p.conns = make([]int, n)
	return nil
}

func (p *casOpen) refill(n int) {
	if !atomic.CompareAndSwapInt32(&p.state, 1, 1) {
		return
	}
	_ = p.fill(n)
	atomic.StoreInt32(&p.state, 1)
}

func refillOpen(p *casOpen) {
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.refill(i)
		}()
	}
	wg.Wait()
}
