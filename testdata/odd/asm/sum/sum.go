// Package sum calls functions written in assembly from goroutines.
package sum

import "sync"

// Add returns a+b. It is written in assembly on amd64 and arm64.
func Add(a, b int64) int64

// Store writes v to *p, in assembly: syncvet cannot see the write.
func Store(p *int64, v int64)

// BadTotal writes total in each goroutine with no lock.
func BadTotal(xs []int64) int64 {
	var total int64
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			total = Add(total, x)
		}()
	}
	wg.Wait()
	return total
}

// GoodTotal adds under a lock.
func GoodTotal(xs []int64) int64 {
	var total int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			total = Add(total, x)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return total
}

// Spawn starts the assembly functions themselves as goroutines.
func Spawn(p *int64) {
	go Add(1, 2)
	go Store(p, 3)
}
