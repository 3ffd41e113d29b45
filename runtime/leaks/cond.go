package leaks

import "sync"

// BadGate runs callbacks once it has been opened. Open sets the flag
// under the lock but never calls Signal or Broadcast, so a goroutine
// already parked in cond.Wait is never woken to see it: it and its
// callback wait for ever. (A callback queued after Open runs, which
// hides the bug in tests that open the gate first.)
type BadGate struct {
	mu   sync.Mutex
	cond *sync.Cond
	open bool
}

// NewBadGate returns a closed gate.
func NewBadGate() *BadGate {
	g := &BadGate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

// Go runs f on a new goroutine once the gate is open.
func (g *BadGate) Go(f func()) {
	go func() {
		g.wait()
		f()
	}()
}

// wait blocks until the gate is open.
func (g *BadGate) wait() {
	g.mu.Lock()
	for !g.open {
		g.cond.Wait()
	}
	g.mu.Unlock()
}

// Open opens the gate.
func (g *BadGate) Open() {
	g.mu.Lock()
	g.open = true
	g.mu.Unlock()
}

// GoodGate is BadGate whose Open broadcasts after the state change, so
// every goroutine parked in cond.Wait wakes, sees the gate open and
// runs its callback.
type GoodGate struct {
	mu   sync.Mutex
	cond *sync.Cond
	open bool
}

// NewGoodGate returns a closed gate.
func NewGoodGate() *GoodGate {
	g := &GoodGate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

// Go runs f on a new goroutine once the gate is open.
func (g *GoodGate) Go(f func()) {
	go func() {
		g.wait()
		f()
	}()
}

// wait blocks until the gate is open.
func (g *GoodGate) wait() {
	g.mu.Lock()
	for !g.open {
		g.cond.Wait()
	}
	g.mu.Unlock()
}

// Open opens the gate and wakes every waiter.
func (g *GoodGate) Open() {
	g.mu.Lock()
	g.open = true
	g.mu.Unlock()
	g.cond.Broadcast()
}
