// Package fanout: one variable raced on by many goroutines of one
// function is one finding, not one per pair.
package fanout

import "sync"

func siblings() int {
	v := 0
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); v = 1 }() // want `unsynchronized write to v: .* \(and 2 more conflicts on v among the goroutines siblings starts\)`
	go func() { defer wg.Done(); v = 2 }()
	go func() { defer wg.Done(); v = 3 }()
	wg.Wait()
	return v
}

func spawner() {
	n := 0
	go func() { n = 1 }() // want `unsynchronized write to n: .* \(and 2 more conflicts on n among the goroutines spawner starts\)`
	go func() { n = 1 }()
	println(n)
}

// partitioned gives each goroutine its own slot and reads after Wait.
func partitioned() []int {
	vs := make([]int, 3)
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); vs[0] = 1 }()
	go func() { defer wg.Done(); vs[1] = 2 }()
	go func() { defer wg.Done(); vs[2] = 3 }()
	wg.Wait()
	return vs
}
