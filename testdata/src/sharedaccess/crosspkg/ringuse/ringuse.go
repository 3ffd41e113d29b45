package ringuse

import "sharedaccess/crosspkg/ring"

// Pump runs producers and consumers on one ring: the turn protocol
// orders their slot accesses.
func Pump(r *ring.Ring, done chan bool) { // want Pump:`accesses\(send 1\)`
	for i := 0; i < 2; i++ {
		go func() {
			for !r.TryPut(1) {
			}
			done <- true
		}()
		go func() {
			for {
				if _, ok := r.TryGet(); ok {
					break
				}
			}
			done <- true
		}()
	}
}

// Wipe clears the ring from two goroutines at once: Clear has no
// protocol.
func Wipe(r *ring.Ring, done chan bool) { // want Wipe:`accesses\(w 0\.slots\[\]\.item; send 1\)`
	for i := 0; i < 2; i++ {
		go func() {
			r.Clear() // want `unsynchronized write to r\.slots\[\.\.\.\]\.item: goroutines running Wipe\.func1 may run at once and each writes r\.slots\[\.\.\.\]\.item`
			done <- true
		}()
	}
}
