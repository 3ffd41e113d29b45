package stale

import (
	"sync"
	"time"
)

// Conn's acquire waits for the connection to close and returns holding
// c.mu for reading: its only return forgets the RUnlock.
type Conn struct {
	mu     sync.RWMutex
	closed bool
}

func (c *Conn) acquire() error {
	for {
		c.mu.RLock()
		if c.closed {
			return errStopped
		}
		c.mu.RUnlock()
		time.Sleep(time.Millisecond)
	}
}

// getter is unexported and implemented by *client only: a call through
// it reaches (*client).Get.
type getter interface {
	Get() error
}

type client struct {
	conn *Conn
}

func (k *client) Get() error { return k.conn.acquire() }

// BAD: the goroutine ends holding the read lock; Close then waits for ever.
func Fetch(g getter, c *Conn) {
	go func() { // want `lock never released: the goroutine started here returns holding g.conn.mu \(read-locked by \(\*stale.client\).Get → \(\*stale.Conn\).acquire\)`
		g.Get()
	}()
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
}

type Timer struct {
	mu      sync.Mutex
	aborted bool
	n       int
}

// BAD: the callback returns early with t.mu held.
func (t *Timer) Arm() {
	time.AfterFunc(time.Second, func() { // want `lock never released: the time.AfterFunc callback may return holding t.mu`
		t.mu.Lock()
		if t.aborted {
			return
		}
		t.n++
		t.mu.Unlock()
	})
}

// GOOD: every path of the callback unlocks.
func (t *Timer) ArmOK() {
	time.AfterFunc(time.Second, func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		if t.aborted {
			return
		}
		t.n++
	})
}

// Baton is locked by one goroutine and unlocked by another on purpose.
type Baton struct {
	mu sync.Mutex
}

func (b *Baton) take() { b.mu.Lock() }

// GOOD: the lock is handed to Pass, which releases it.
func (b *Baton) Start() {
	go b.take()
}

func (b *Baton) Pass() {
	b.mu.Unlock()
}

// Getter is exported: other packages implement it too, so a call through
// it is not taken for a call of (*client).Get.
type Getter interface {
	Get() error
}

// GOOD as far as this package can tell: g is the caller's.
func FetchAny(g Getter, c *Conn) {
	go func() {
		g.Get()
	}()
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
}
