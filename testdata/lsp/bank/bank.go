// Package bank is the fixture of syncvet lsp's tests. Transfer and
// Audit take two locks in opposite orders: lockorder reports the
// inversion in Transfer with Audit's order as related information. The
// ledger's name holds letters outside ASCII (é is one UTF-16 code unit
// in two bytes, 𝒜 two units in four) so that the tests see columns
// counted in UTF-16 code units, as LSP counts them.
package bank

import "sync"

type Account struct {
	mu      sync.Mutex
	balance int
}

type Ledger struct {
	mu      sync.Mutex
	entries int
}

// Transfer takes Account.mu, then Ledger.mu.
func Transfer(a *Account, lédger𝒜 *Ledger, n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	lédger𝒜.mu.Lock()
	defer lédger𝒜.mu.Unlock()
	a.balance -= n
	lédger𝒜.entries++
}

// Audit takes Ledger.mu, then Account.mu: with Transfer, each goroutine
// can hold one lock and wait for the other.
func Audit(a *Account, l *Ledger) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance + l.entries
}
