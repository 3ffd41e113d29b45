package strategies

import "time"

// IOLatency is the nominal latency of a Device. time.Sleep rounds it up
// to the timer resolution, which is coarser on an idle machine (up to
// about a millisecond on Linux): what matters is that the latency is
// the same for every strategy and much longer than the work under the
// lock.
const IOLatency = 20 * time.Microsecond

// Device simulates a blocking I/O call: Do parks the calling goroutine
// for Latency without using a CPU, as a read from a disk or a socket
// would. Any number of goroutines can wait on devices at once.
type Device struct {
	Latency time.Duration
}

// Do performs one simulated I/O operation.
func (d Device) Do() { time.Sleep(d.Latency) }
