package deadlock

import "sync"

// BadBank keeps balances and records every payment in its ledger,
// taking the ledger's lock while holding its own: Bank.mu, then
// Ledger.mu.
type BadBank struct {
	mu       sync.Mutex
	balances map[string]int
	ledger   *BadLedger
}

// BadLedger records payments; its Audit sums the bank's balances while
// holding the ledger's lock: Ledger.mu, then Bank.mu, the opposite
// order. A Pay and an Audit that each hold their first lock wait for
// each other forever.
type BadLedger struct {
	mu      sync.Mutex
	entries []string
	bank    *BadBank
}

// NewBadBank returns a bank with the given accounts and an empty ledger.
func NewBadBank(balances map[string]int) *BadBank {
	b := &BadBank{balances: balances}
	b.ledger = &BadLedger{bank: b}
	return b
}

// Ledger returns the bank's ledger.
func (b *BadBank) Ledger() *BadLedger { return b.ledger }

// Pay moves amount from one account to another and records it.
func (b *BadBank) Pay(from, to string, amount int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.balances[from] -= amount
	b.balances[to] += amount
	b.ledger.mu.Lock()
	b.ledger.entries = append(b.ledger.entries, from+"->"+to)
	b.ledger.mu.Unlock()
}

// Audit returns the number of entries and the total of all balances,
// which no payment changes.
func (l *BadLedger) Audit() (entries, total int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.bank.mu.Lock()
	for _, v := range l.bank.balances {
		total += v
	}
	l.bank.mu.Unlock()
	return len(l.entries), total
}

// GoodBank is BadBank with one lock order everywhere: Bank.mu before
// Ledger.mu.
type GoodBank struct {
	mu       sync.Mutex
	balances map[string]int
	ledger   *GoodLedger
}

// GoodLedger takes Bank.mu first in Audit, like Pay does.
type GoodLedger struct {
	mu      sync.Mutex
	entries []string
	bank    *GoodBank
}

// NewGoodBank returns a bank with the given accounts and an empty ledger.
func NewGoodBank(balances map[string]int) *GoodBank {
	b := &GoodBank{balances: balances}
	b.ledger = &GoodLedger{bank: b}
	return b
}

// Ledger returns the bank's ledger.
func (b *GoodBank) Ledger() *GoodLedger { return b.ledger }

// Pay moves amount from one account to another and records it.
func (b *GoodBank) Pay(from, to string, amount int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.balances[from] -= amount
	b.balances[to] += amount
	b.ledger.mu.Lock()
	b.ledger.entries = append(b.ledger.entries, from+"->"+to)
	b.ledger.mu.Unlock()
}

// Audit returns the number of entries and the total of all balances.
func (l *GoodLedger) Audit() (entries, total int) {
	l.bank.mu.Lock()
	defer l.bank.mu.Unlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, v := range l.bank.balances {
		total += v
	}
	return len(l.entries), total
}
