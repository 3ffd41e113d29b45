package basic

import "sync"

// A read lock taken by the spawner and released by the goroutine hands
// the memory over as a mutex does: the writer's Lock waits for the
// goroutine's RUnlock.
func goodRWMutexHandoff() string {
	var l sync.RWMutex
	a := ""
	l.RLock()
	go func() {
		a = "hello, world"
		l.RUnlock()
	}()
	l.Lock()
	return a
}

// When the spawner releases its own read lock, nothing orders the
// goroutine's write before the Lock.
func badRWMutexNoHandoff() string {
	var l sync.RWMutex
	a := ""
	l.RLock()
	go func() {
		a = "hello, world" // want `unsynchronized write to a`
	}()
	l.RUnlock()
	l.Lock()
	return a
}

// A TryLock that succeeds acquires a handed-off mutex as Lock does.
func goodTryLockHandoff() string {
	var l sync.Mutex
	a := ""
	l.Lock()
	go func() {
		a = "hello, world"
		l.Unlock()
	}()
	for !l.TryLock() {
	}
	return a
}

// Without the goroutine's Unlock, the TryLock orders nothing.
func badTryLockNoHandoff() string {
	var l sync.Mutex
	a := ""
	go func() {
		a = "hello, world" // want `unsynchronized write to a`
	}()
	for !l.TryLock() {
	}
	return a
}
