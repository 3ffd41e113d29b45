// Package use calls lib, a package of its own module, after a call that
// may leave the lock held: the double lock is lib.Reset's bug, reported
// once in lib, not again at every caller in the module.
package use

import (
	"sync"

	"example.com/leakhome/lib"
)

func Count(s *lib.Store) int {
	s.Reset()
	return s.Len() // ok: the root cause is reported in lib
}

type local struct{ mu sync.Mutex }

func (l *local) reset(n int) {
	l.mu.Lock()
	if n == 0 {
		return
	}
	l.mu.Unlock()
}

// A leaking callee of this package is still reported here.
func (l *local) twice(n int) {
	l.reset(n)
	l.mu.Lock() // want `double lock: l.mu locked while it may still be held: \(\*use.local\).reset returns without unlocking it on some paths`
	l.mu.Unlock()
}
