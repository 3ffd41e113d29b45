// Package strategies implements one shared counter and one shared
// key-value store in each of the designs the seed compares, for the
// benchmarks to run on 1 to 16 cores:
//
//   - Mutex: one sync.Mutex around the data.
//   - RWMutex: readers share a sync.RWMutex, writers exclude.
//   - Overlocked (Bad): the lock is also held across simulated I/O.
//   - IOUnlocked: the same I/O done before taking the lock.
//   - Shards: the data partitioned per goroutine (counter) or per key
//     hash (store), each shard padded to its own cache line.
//   - Owner: one goroutine owns the data; the others send it requests
//     over channels (role division).
//   - Atomic: sync/atomic (sync.Map of atomic counters for the store).
//
// Simulated I/O is a Device: the caller sleeps for a fixed latency,
// parked without using a CPU as on a read from a disk or a socket, and
// any number of goroutines can wait at once. Held under the lock, that
// wait serialises every goroutine behind it.
package strategies
