package basic

import "sync"

type Account struct {
	mu      sync.Mutex
	id      int
	balance int
}

func transfer(from, to *Account, n int) {
	from.mu.Lock()
	defer from.mu.Unlock()
	to.mu.Lock()
	defer to.mu.Unlock()
	from.balance -= n
	to.balance += n
}

// Both orders on two goroutines.
func Swap(a, b *Account) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		transfer(a, b, 1) // want `lock order inversion between two Account.mu: a.mu locked before b.mu here`
	}()
	go func() {
		defer wg.Done()
		transfer(b, a, 1)
	}()
	wg.Wait()
}

// Clean twin: ordered by id.
func transferOrdered(from, to *Account, n int) {
	first, second := from, to
	if to.id < from.id {
		first, second = to, from
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer second.mu.Unlock()
	from.balance -= n
	to.balance += n
}

func SwapOK(a, b *Account) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		transferOrdered(a, b, 1)
	}()
	go func() {
		defer wg.Done()
		transferOrdered(b, a, 1)
	}()
	wg.Wait()
}

// Clean twin: one order only (instances kept apart by construction).
func Forward(a, b *Account) {
	go transfer(a, b, 1)
	go transfer(a, b, 2)
}

// Directly with go statements.
func SwapGo(a, b *Account) {
	go transfer(a, b, 1) // want `lock order inversion between two Account.mu`
	go transfer(b, a, 1)
}
