package use

import "sharedaccess/openiface/lib"

// T is a user's own TestingT, safe for concurrent use.
type T struct{}

func (*T) Errorf(format string, args ...any) {}

// Check asserts from two goroutines: nothing of lib.Collect is touched.
func Check(t *T, errs chan error) { // want Check:`accesses\(recv 1\)`
	go func() { lib.NoError(t, <-errs) }()
	go func() { lib.NoError(t, <-errs) }()
}
