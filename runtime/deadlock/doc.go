// Package deadlock demonstrates the lock-order hazards that the
// lockorder analyzer reports, each as a Bad variant next to a Good
// variant that fixes it: two locks taken in opposite orders, a lock
// taken again by a callee while the caller holds it, and a read lock
// taken recursively while a writer waits.
//
// The tests run each Bad variant until a watchdog sees its goroutines
// stop making progress, all parked waiting for a lock; the deadlocked
// goroutines are then left blocked (they hold only their own test's
// locks), so nothing hangs. Each Good variant runs the same workload to
// completion.
package deadlock
