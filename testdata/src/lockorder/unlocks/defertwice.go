package unlocks

import "sync"

// Two wallets locked in id order; the second deferred unlock names the
// first wallet again: at return the first is unlocked twice (a fatal
// error) and the second stays locked.
type dtWallet struct {
	id      int
	mu      sync.Mutex
	balance int64
}

func dtOrder(a, b *dtWallet) (*dtWallet, *dtWallet) {
	if a.id < b.id {
		return a, b
	}
	return b, a
}

// BAD
func dtTransfer(from, to *dtWallet, amount int64) {
	first, second := dtOrder(from, to)
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer first.mu.Unlock() // want `double unlock: dtTransfer defers a second unlock of first.mu with no lock since the first`
	from.balance -= amount
	to.balance += amount
}

// GOOD
func dtTransferOK(from, to *dtWallet, amount int64) {
	first, second := dtOrder(from, to)
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer second.mu.Unlock()
	from.balance -= amount
	to.balance += amount
}

// GOOD: locked again between the two defers (a hand-over-hand helper
// that unlocks, does slow work and locks again before returning).
func dtRelock(w *dtWallet, slow func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.mu.Unlock()
	slow()
	w.mu.Lock()
	w.balance++
}
