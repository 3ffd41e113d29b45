// Package leaks demonstrates the goroutine leaks that the goroutineleak
// analyzer reports, each as a Bad variant next to a Good variant that
// fixes it: a goroutine left sending when its caller returns on a
// timeout; a producer left sending when its consumer stops at the
// first error; a range over a channel that is never closed; a
// WaitGroup.Wait that a worker's early return leaves waiting; a
// Cond.Wait that nothing wakes; a channel returned to a caller that
// drops it; and a send on a channel field that was never made.
//
// A leaked goroutine is blocked for ever on a channel or a sync
// primitive that no other goroutine can reach. The tests confirm each
// Bad variant with Go's own leak detector: they run the variant, drop
// every reference the test holds, and require a goroutine of the
// goroutineleak profile (Go 1.26, GOEXPERIMENT=goroutineleakprofile) to
// be blocked in the variant's code; each Good variant runs the same
// workload and leaves no goroutine behind. The leaked goroutines stay
// blocked until the test binary exits; nothing waits for them. Without
// the experiment the profile does not exist and the tests skip:
//
//	GOEXPERIMENT=goroutineleakprofile go test ./leaks/
package leaks
