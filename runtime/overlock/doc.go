// Package overlock demonstrates the over-locking hazards that the
// overlock analyzer reports, each as a Bad variant next to a Good
// variant that fixes it: a lock held across a channel send, a sleep or
// a WaitGroup.Wait; a lock left held by an early return; and a
// deferred Unlock inside a loop.
//
// The tests park the holder in its blocking operation and show that
// another goroutine's TryLock fails meanwhile (and succeeds against
// the Good variant), or, where the mistake deadlocks, let a watchdog
// see the goroutines stop, parked on the lock.
package overlock
