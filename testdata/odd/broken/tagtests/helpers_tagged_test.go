//go:build withhelpers

package tagtests

func newTestCounter() *Counter { return &Counter{} }
