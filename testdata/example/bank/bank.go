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
