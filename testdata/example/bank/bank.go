// Package bank is syncvet's walk-through example: each hazard syncvet
// reports, beside code that does the same job safely.
package bank

import "sync"

// Account is a balance guarded by mu.
type Account struct {
	mu      sync.Mutex
	balance int
}

// Deposit adds n under the lock.
func (a *Account) Deposit(n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance += n
}

// Snapshot copies the account, lock and all: the copy's lock guards
// nothing and the read of balance races with Deposit.
func Snapshot(a *Account) Account {
	return *a
}

// Spread runs one deposit per amount but calls wg.Add inside each
// goroutine, so Wait may return before they start.
func Spread(a *Account, amounts []int) {
	var wg sync.WaitGroup
	for _, n := range amounts {
		go func() {
			wg.Add(1)
			defer wg.Done()
			a.Deposit(n)
		}()
	}
	wg.Wait()
}

// Touch takes and drops the lock around nothing.
func Touch(a *Account) {
	a.mu.Lock()
	a.mu.Unlock()
}

// SpreadSafely is Spread done right.
func SpreadSafely(a *Account, amounts []int) {
	var wg sync.WaitGroup
	for _, n := range amounts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.Deposit(n)
		}()
	}
	wg.Wait()
}

// Balance reads the balance without the lock while Spread's goroutines
// deposit.
func (a *Account) Balance() int {
	return a.balance
}

// Audit starts deposits and reads the balance while they run.
func Audit(a *Account, amounts []int) int {
	for _, n := range amounts {
		go a.Deposit(n)
	}
	return a.Balance()
}

// Ledger records transfers under its own lock.
type Ledger struct {
	mu      sync.Mutex
	entries []int
	notify  chan int
}

// Record takes Account.mu, then Ledger.mu ...
func (l *Ledger) Record(a *Account, n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	l.mu.Lock()
	l.entries = append(l.entries, n)
	l.mu.Unlock()
}

// Reconcile takes Ledger.mu, then Account.mu: with Record, a deadlock.
func (l *Ledger) Reconcile(a *Account) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance - len(l.entries)
}

// Publish waits for a reader while holding l.mu.
func (l *Ledger) Publish(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, n)
	l.notify <- n
}

// Quote asks a pricing goroutine for a quote and gives up on a closed
// ledger without taking the answer: the goroutine's send blocks for ever.
func (l *Ledger) Quote(closed bool, price func() int) (int, bool) {
	answer := make(chan int) // make(chan int, 1) would let it finish
	go func() { answer <- price() }()
	if closed {
		return 0, false
	}
	return <-answer, true
}

// NewLedger makes a Ledger whose notifications someone reads.
func NewLedger() *Ledger { return &Ledger{notify: make(chan int)} }

// Notifications returns the channel Publish sends on, for its reader.
func (l *Ledger) Notifications() <-chan int { return l.notify }
