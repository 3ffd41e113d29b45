// The external test package: nothing imports it, so lockset exports no
// Summary for LockX.
package main_test

import "sync"

type X struct{ mu sync.Mutex }

func LockX(x *X) { x.mu.Lock() }
