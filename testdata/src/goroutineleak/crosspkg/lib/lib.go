// Package lib drains or fills channels that its callers make.
package lib

// Drain receives every value until ch is closed.
func Drain(ch chan int) {
	for range ch {
	}
}
