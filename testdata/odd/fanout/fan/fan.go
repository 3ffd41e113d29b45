// Package fan writes one variable from several go statements, as
// generated code that starts a goroutine per item does: one root cause,
// to be reported once.
package fan

import "sync"

// Fan writes v from four goroutines with no lock.
func Fan() int {
	v := 0
	var wg sync.WaitGroup
	wg.Add(4)
	go func() { defer wg.Done(); v = 1 }()
	go func() { defer wg.Done(); v = 2 }()
	go func() { defer wg.Done(); v = 3 }()
	go func() { defer wg.Done(); v = 4 }()
	wg.Wait()
	return v
}

// FanOK gives each goroutine its own slot.
func FanOK() []int {
	vs := make([]int, 4)
	var wg sync.WaitGroup
	wg.Add(4)
	go func() { defer wg.Done(); vs[0] = 1 }()
	go func() { defer wg.Done(); vs[1] = 2 }()
	go func() { defer wg.Done(); vs[2] = 3 }()
	go func() { defer wg.Done(); vs[3] = 4 }()
	wg.Wait()
	return vs
}
