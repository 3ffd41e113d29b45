// Package use hands its channels to another package: the check does not
// follow them there, so nothing is reported (a documented limit).
package use

import "goroutineleak/crosspkg/lib"

func handOff(items []int) {
	ch := make(chan int)
	go lib.Drain(ch)
	for _, it := range items {
		ch <- it
	}
}
