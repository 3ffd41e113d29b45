// Package fx is the fixture that the golangci-lint plugin test runs both
// syncvet and a custom golangci-lint on.
package fx

import (
	"errors"
	"sync"
)

type Account struct {
	mu  sync.Mutex
	bal int
}

func Snapshot(a *Account) Account {
	a.mu.Lock()
	defer a.mu.Unlock()
	return *a
}

func Touch(mu *sync.Mutex) {
	mu.Lock()
	mu.Unlock()
}

func Spawn(wg *sync.WaitGroup, f func()) {
	go func() {
		wg.Add(1)
		defer wg.Done()
		f()
	}()
}

func Reviewed(a Account) int { //nolint:syncvet // a copy made for printing
	return a.bal
}

func Ignored(a Account) int { //syncvet:ignore copylocks a copy made for printing
	return a.bal
}

func Loop(xs []int, wg *sync.WaitGroup) {
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = x
		}()
	}
}

var errMissing = errors.New("missing")

type Cache struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *Cache) Get(k string) (int, error) {
	c.mu.Lock()
	v, ok := c.m[k]
	if !ok {
		return 0, errMissing
	}
	c.mu.Unlock()
	return v, nil
}
