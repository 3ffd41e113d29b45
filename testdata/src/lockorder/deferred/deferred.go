package deferred // want package:`edges\(.*\)`

// Locks taken by deferred calls, which run at return with whatever the
// function still holds then.

import "sync"

type Journal struct {
	mu    sync.Mutex
	lines []string
}

func (j *Journal) add(s string) {
	j.mu.Lock()
	j.lines = append(j.lines, s)
	j.mu.Unlock()
}

type Account struct {
	mu      sync.Mutex
	balance int
	log     *Journal
}

// BAD: the deferred add runs before the deferred Unlock (last in, first
// out), so Journal.mu is taken while Account.mu is held...
func (a *Account) Deposit(n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	defer a.log.add("deposit") // want `lock order inversion: Journal.mu acquired while holding Account.mu \(via \(\*deferred.Journal\).add\); \(\*Journal\).Replay acquires them in the other order`
	a.balance += n
}

// ...and Replay takes them in the other order.
func (j *Journal) Replay(a *Account) {
	j.mu.Lock()
	defer j.mu.Unlock()
	a.mu.Lock()
	a.balance = len(j.lines)
	a.mu.Unlock()
}

// GOOD: the Unlock is deferred last, so it runs first.
func (a *Account) Withdraw(n int) {
	defer a.log.add("withdraw")
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance -= n
}

func (a *Account) check() {
	a.mu.Lock()
	a.balance++
	a.mu.Unlock()
}

// BAD: the deferred check locks a.mu, still held when it runs.
func (a *Account) Close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	defer a.check() // want `double lock: \(\*deferred.Account\).check locks a.mu while it is already held`
	a.balance = 0
}

// GOOD: the deferred check runs after the unlock.
func (a *Account) CloseOK() {
	defer a.check()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance = 0
}

type Gauge struct {
	mu sync.Mutex
	n  int
}

// BAD: a typo defers Lock instead of Unlock; the deferred call locks
// the mutex a second time at return and the goroutine blocks for ever.
func (g *Gauge) Set(n int) {
	g.mu.Lock()
	defer g.mu.Lock() // want `double lock: g.mu locked again by a deferred call while it is still held at return \(did you mean defer g.mu.Unlock\(\)\?\)`
	g.n = n
}

// GOOD: the lock is released for the call and taken back at return.
func (g *Gauge) Without(f func()) {
	g.mu.Unlock()
	defer g.mu.Lock()
	f()
}

type Table struct {
	mu   sync.RWMutex
	rows []string
}

// BAD: the same typo with a read lock.
func (t *Table) Len() int {
	t.mu.RLock()
	defer t.mu.RLock() // want `double lock: t.mu read-locked again by a deferred call while it is still held at return \(did you mean defer t.mu.RUnlock\(\)\?\)`
	return len(t.rows)
}

// GOOD
func (t *Table) Rows() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.rows)
}
