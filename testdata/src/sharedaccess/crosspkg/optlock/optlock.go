// Package optlock guards its registries with a mutex wrapper that locks
// unless it was switched off (for callers that serialise on their own).
package optlock

import "sync"

type switchMutex struct {
	m   sync.Mutex
	off bool
}

func (s *switchMutex) Lock() { // want Lock:`accesses\(r 0\.off\)`
	if !s.off {
		s.m.Lock()
	}
}

func (s *switchMutex) Unlock() { // want Unlock:`accesses\(r 0\.off\)`
	if !s.off {
		s.m.Unlock()
	}
}

func (s *switchMutex) SwitchOff() { s.off = true } // want SwitchOff:`accesses\(w 0\.off\)`

type registry struct {
	mu    switchMutex
	names []string
}

var guarded = &registry{}

var bare = &registry{}

func (r *registry) add(v string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names = append(r.names, v)
}

func (r *registry) appendName(v string) {
	r.names = append(r.names, v)
}

// Add is safe for concurrent use.
func Add(v string) { guarded.add(v) } // want Add:`accesses\(r g:sharedaccess/crosspkg/optlock\.guarded; r g:sharedaccess/crosspkg/optlock\.guarded\.mu\.off; r g:sharedaccess/crosspkg/optlock\.guarded\.mu\.off \[custom:\*optlock\.switchMutex\]; w g:sharedaccess/crosspkg/optlock\.guarded\.names \[custom:\*optlock\.switchMutex\]; r g:sharedaccess/crosspkg/optlock\.guarded\.names \[custom:\*optlock\.switchMutex\]; r g:sharedaccess/crosspkg/optlock\.guarded\.names\[\] \[custom:\*optlock\.switchMutex\]\)`

// AddBare is not: it skips the lock.
func AddBare(v string) { bare.appendName(v) } // want AddBare:`accesses\(r g:sharedaccess/crosspkg/optlock\.bare; w g:sharedaccess/crosspkg/optlock\.bare\.names; r g:sharedaccess/crosspkg/optlock\.bare\.names; r g:sharedaccess/crosspkg/optlock\.bare\.names\[\]\)`
