package overlock

import (
	"errors"
	"sync"
)

// ErrInsufficient is returned for a withdrawal larger than the balance.
var ErrInsufficient = errors.New("insufficient funds")

// BadAccount forgets to unlock on its error path: after one refused
// withdrawal mu stays locked and every later call blocks forever.
type BadAccount struct {
	mu      sync.Mutex
	balance int
}

// Deposit adds n to the balance.
func (a *BadAccount) Deposit(n int) {
	a.mu.Lock()
	a.balance += n
	a.mu.Unlock()
}

// Withdraw takes n from the balance if it is large enough.
func (a *BadAccount) Withdraw(n int) error {
	a.mu.Lock()
	if n > a.balance {
		return ErrInsufficient
	}
	a.balance -= n
	a.mu.Unlock()
	return nil
}

// GoodAccount releases mu with defer, on every path.
type GoodAccount struct {
	mu      sync.Mutex
	balance int
}

// Deposit adds n to the balance.
func (a *GoodAccount) Deposit(n int) {
	a.mu.Lock()
	a.balance += n
	a.mu.Unlock()
}

// Withdraw takes n from the balance if it is large enough.
func (a *GoodAccount) Withdraw(n int) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if n > a.balance {
		return ErrInsufficient
	}
	a.balance -= n
	return nil
}

// BadJournal defers its Unlock inside a loop. Deferred calls run when
// the function returns, not at the end of the iteration: the second
// batch waits for a lock that the first still holds, forever.
type BadJournal struct {
	mu    sync.Mutex
	lines []string
}

// AppendAll appends every batch, one lock per batch.
func (j *BadJournal) AppendAll(batches [][]string) {
	for _, b := range batches {
		j.mu.Lock()
		defer j.mu.Unlock()
		j.lines = append(j.lines, b...)
	}
}

// Len returns the number of lines.
func (j *BadJournal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.lines)
}

// GoodJournal wraps each iteration in a function, so the deferred
// Unlock runs at the end of every batch.
type GoodJournal struct {
	mu    sync.Mutex
	lines []string
}

// AppendAll appends every batch, one lock per batch.
func (j *GoodJournal) AppendAll(batches [][]string) {
	for _, b := range batches {
		j.appendBatch(b)
	}
}

func (j *GoodJournal) appendBatch(b []string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.lines = append(j.lines, b...)
}

// Len returns the number of lines.
func (j *GoodJournal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.lines)
}
