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
// Simulated I/O is a round trip to a Device goroutine that belongs to
// the calling worker: the caller parks until the reply comes, as it
// would on a read, and devices of different workers run in parallel.
package strategies
