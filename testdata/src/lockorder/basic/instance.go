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

// Only one order in view: the lock order follows the arguments, and a
// caller elsewhere may pass them the other way round.
type wallet struct {
	mu    sync.Mutex
	coins int
}

func pay(src, dst *wallet, n int) {
	src.mu.Lock()
	defer src.mu.Unlock()
	dst.mu.Lock() // want `lock order follows the arguments: pay locks src.mu before dst.mu, two wallet.mu; a concurrent call with src and dst swapped takes them the other way round`
	defer dst.mu.Unlock()
	src.coins -= n
	dst.coins += n
}

// Its callers pass the arguments on: one finding, at pay.
func payAll(src, dst *wallet) { pay(src, dst, src.coins) }

// A parent and its child: the tree fixes the order.
type treeNode struct {
	mu       sync.Mutex
	children []*treeNode
}

func adopt(parent, child *treeNode) {
	parent.mu.Lock()
	defer parent.mu.Unlock()
	child.mu.Lock()
	defer child.mu.Unlock()
	parent.children = append(parent.children, child)
}
