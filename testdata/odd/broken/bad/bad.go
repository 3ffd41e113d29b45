// Package bad does not type-check.
package bad

import "sync"

// Mu is a lock that others use.
var Mu sync.Mutex

// Name returns a string, but the result is an int.
func Name() string {
	return 42
}
