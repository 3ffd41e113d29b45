package deadlock

import "sync"

// BadAccount is a bank account with its own lock.
type BadAccount struct {
	mu      sync.Mutex
	balance int
}

// BadTransfer locks the source account, then the destination. Two
// transfers in opposite directions between the same two accounts lock
// the pair in opposite orders and can deadlock: the same inversion as
// BadBank's, between two instances of one type.
func BadTransfer(from, to *BadAccount, amount int) {
	from.mu.Lock()
	defer from.mu.Unlock()
	to.mu.Lock()
	defer to.mu.Unlock()
	from.balance -= amount
	to.balance += amount
}

// GoodAccount is a bank account with its own lock and a unique id that
// orders the locks.
type GoodAccount struct {
	ID      int
	mu      sync.Mutex
	balance int
}

// GoodTransfer always locks the account with the smaller id first, so
// every transfer takes any pair of locks in the same order.
func GoodTransfer(from, to *GoodAccount, amount int) {
	first, second := from, to
	if second.ID < first.ID {
		first, second = second, first
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer second.mu.Unlock()
	from.balance -= amount
	to.balance += amount
}

// Balance returns the account's balance.
func (a *GoodAccount) Balance() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance
}

// BadSwap exchanges amounts between two accounts, running both
// transfers at once: BadTransfer(a, b) and BadTransfer(b, a) lock the
// same pair in opposite orders.
func BadSwap(a, b *BadAccount, ab, ba int) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		BadTransfer(a, b, ab)
	}()
	go func() {
		defer wg.Done()
		BadTransfer(b, a, ba)
	}()
	wg.Wait()
}

// GoodSwap runs both transfers at once too; GoodTransfer's id order
// makes that safe.
func GoodSwap(a, b *GoodAccount, ab, ba int) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		GoodTransfer(a, b, ab)
	}()
	go func() {
		defer wg.Done()
		GoodTransfer(b, a, ba)
	}()
	wg.Wait()
}
