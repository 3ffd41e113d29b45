// Package overlock reports locks held across blocking work, locks left
// held on a return path, and critical sections that guard nothing.
//
// # Analyzer overlock
//
// overlock: report locks held across blocking work or never released
//
// A mutex held while the goroutine waits on a channel, sleeps, waits for
// a WaitGroup or does file or network I/O stalls every goroutine that
// needs the lock, and turns a slow path into a deadlock when the waited-on
// party needs the same lock.
//
//	// BAD: the worker that sends on s.jobs may need s.mu
//	func (s *S) Take() int {
//		s.mu.Lock()
//		defer s.mu.Unlock()
//		return <-s.jobs
//	}
//
//	// GOOD: wait first, then lock for the state update
//	func (s *S) Take() int {
//		v := <-s.jobs
//		s.mu.Lock()
//		s.taken++
//		s.mu.Unlock()
//		return v
//	}
//
// The blocking operation may sit any number of calls away, in this or
// another package: "s.mu held across blocking receive from s.jobs (via
// (*S).next)". A deferred call that waits on a channel (or a deferred
// WaitGroup.Wait) runs as the
// function returns, before the defers registered ahead of it: registered
// after defer s.mu.Unlock(), it runs with s.mu held. A sync.Cond.Wait
// releases its own lock while it waits:
// it is reported only for another lock held across it that a function
// waking the Cond takes first, and only when the Cond's lock is known
// (sync.NewCond(&s.mu) stored in s.cond). Not reported: a file-system
// call of package os on a path built from a field of the lock's own
// object (a queue kept as files in q.dir: q.mu is there to serialise
// them) or under a lock whose critical sections write no memory (it is
// there only to order the file operations), a select with default, close, calls through function values such as
// context cancel functions, TryLock, a send on a channel made in view with
// a buffer the code never fills, the take and give-back of a channel
// that holds its state as its one token (every channel of its type made
// with a buffer, every send on one giving back what was taken or filling
// one just made), a send on a buffered reply channel taken
// out of the pending set first (each request is answered once), a send
// guarded by a test-and-set flag under the lock (at most one send per
// object), a receive guarded by a flag that is only set where the channel
// is closed, a receive from a local channel the function has already
// filled, a receive from a local channel that only goroutines started in
// the same function send on, each once, after work that cannot block and
// takes no lock (a fork-join of computations: the wait is for the CPU,
// not for anyone the lock could hold up; the send may sit in a deferred
// closure, as when go-cmp runs a comparer once on its own goroutine),
// a receive that gives back the
// token of a channel of capacity
// one used as a mutex, a send that gives back a token of a counting
// semaphore filled to its capacity where it is made, a WaitGroup.Wait
// for goroutines the function started that only compute, a send into a
// channel made with room for one value per element of the slice the
// sending loop ranges over, a send right after a non-blocking drain of
// the same buffered channel when every sender drains and sends under
// one lock (latest value wins; also for the channels a map field holds,
// one per subscriber, made with a buffer and handed out receive-only),
// a send on a send-only channel parameter of a method that implements
// an interface of an imported package (prometheus' Collect(ch chan<-
// Metric): the framework receives as the method sends, and needs none of
// this package's locks), an operation of a callee that the callee
// reaches only when a parameter
// is not nil, called with nil for it (if w != nil { e.reset(w) } in
// newEnc(nil)), a receive that runs only after len of the same channel
// was found above zero (for len(ch) > 0 { <-ch }: a single consumer
// draining what waits, when every other receive from that channel field
// holds a lock of a class held there too), a select with a time.After
// case of a constant second or less (the wait is bounded: a stall, not a
// wait on another goroutine), a reply
// on a buffered channel carried by
// a request the function received (one reply per request), a select
// that sends or gives up when a context given a deadline in the same
// function is done, the drain of a timer's channel after Stop reported
// that the timer had fired (if !t.Stop() { <-t.C }: the value is there
// to take; goroutineleak reports a drain that can find it taken; also
// through a test clock's timer, if !t.Stop() { <-t.C() }, or a channel
// and stop function returned by one call), the
// wait for an AfterFunc timer's callback that Stop could not stop (if
// !d.timer.Stop() { <-d.cancel }) when every timer kept in that field
// runs a callback that only closes or sends on the channel waited on, a
// callee that unlocks the caller's lock
// before it blocks (or unlocks a sync.Locker that names no mutex, as a
// hand-written condition variable's Wait unlocks its L), and I/O on a file or connection reached from the same
// object as the lock (c.mu held around c.conn.Write), or under a mutex
// that sits in a struct beside a file or connection field: a mutex whose
// job is to serialise one stream's reads or writes is a deliberate design.
// HTTP round trips, dials, database calls, sleeps and waits under such a
// mutex are still reported. For
// the same reason a token lock is not reported: a mutex of this package
// under which nothing writes shared memory, that every function taking it
// holds across blocking work, and whose channels are not operated on in
// both directions under it (io.Pipe's writer mutex pairs each send with
// its acknowledgement; two goroutines holding one mutex around both ends
// of a channel are still reported). Calls
// through io.Writer and other interfaces are not counted as I/O: the value
// may be a bytes.Buffer. Nor is a wait on an unexported channel or
// WaitGroup field that only goroutines of the package serve, none of
// which holds or takes a lock of the held lock's class (the Close that
// signals its worker to stop and joins it, the hand-off to a worker that
// owns its state): the wait can delay others but not deadlock on the
// lock. Such a goroutine must not sleep or do file or network I/O, unless
// the waiting function first told it to stop, on every path: it closed a
// channel field that a goroutine of the package receives from, or called
// a context's cancel function (the Close that cancels its dialer and
// joins it). Nor is a single send on a channel whose every make has a constant
// buffer (outside loops, no more sends in the function than slots): it
// waits only while the buffer is full, that is while the reader lags.
// Such a send, here or down a chain of calls, is reported only when a
// receiver of that (unexported) channel field needs a lock of the held
// lock's class, itself or through a call of a function value when a
// function literal or method value of the package takes that class, so
// that a full buffer stays full while the reader waits for the lock. A
// send in a loop (a broadcast under the lock), or on a channel filled to
// its capacity when it was made (a notify channel primed with the initial
// state), is reported as any other send.
//
// A lock held on one return path and released on others is reported with
// a suggested fix that unlocks before the return:
//
//	// BAD
//	func (c *Cache) Get(k string) (V, error) {
//		c.mu.Lock()
//		v, ok := c.m[k]
//		if !ok {
//			return nil, errMissing // c.mu stays locked
//		}
//		c.mu.Unlock()
//		return v, nil
//	}
//
// A lock that every return keeps although the function unlocks it on
// the way is reported too (a retry loop that takes the lock, tests,
// unlocks and tries again, and leaves by a break that keeps it), when
// nothing can release it later: no caller in the package unlocks it
// after the call, the mutex is out of other packages' reach, and the
// function's name does not say that it locks.
//
// Not reported: functions that hold the lock on every return and never
// unlock it on the way (lock wrappers: their callers unlock),
// conditional acquirers whose held returns report success (nil error, true, or a returned func) and whose
// other returns report failure (provided something can release the
// lock afterwards: another function of the package unlocks it without
// locking it, or other packages can reach the mutex; a lookup that
// returns true with its unexported lock still held is reported),
// functions that never unlock the lock
// themselves (they hand it over conditionally), functions that unlock
// another lock of the same class (hand-over-hand locking through a loop
// variable), locks of objects the function itself created, locks held on
// only some of the paths that reach a return (correlated conditions), and
// panic paths (a panic that is recovered with a lock held is out of
// scope; so is the return SSA adds for recovered panics).
//
// A channel used as a counting semaphore is a lock with several slots,
// and the same rule holds for it: a return that keeps the slot a send
// took (or, for a channel filled when it is made, a receive took) while
// the function's other returns give it back loses that slot for good,
// and once every slot is lost each acquirer blocks for ever. A channel
// counts as a semaphore when it carries struct{} tokens and one
// function both takes and gives back (a channel of one boolean often
// holds an object's state, kept on purpose by a terminal state); an acquire in a select that gives up on ctx.Done() counts from
// its case. Not reported: a deferred function or helper of the package
// that may give it back, a go statement or a call of the package's code
// that touches the channel's field on the way (the slot is handed on),
// and conditional acquirers as above.
//
// Finally, a Lock/Unlock pair whose section reads and writes no shared
// memory (no loads, stores, calls or channel operations: only arithmetic
// on locals) guards nothing, and defer mu.Unlock() inside a loop keeps
// the lock until the function returns, so the next iteration's Lock
// deadlocks. A deferred unlock of a different mutex on each iteration
// (every ancestor, every shard) is deliberate and not reported. An empty
// section (mu.Lock(); mu.Unlock()) is reported too, as staticcheck's
// SA2001 does (syncvet keeps SA2001 off by default because this check
// covers it), except where it is meant: in test files, which exercise the
// mutex itself, where a comment on the line above the Lock or inside
// the section explains it (a barrier that waits for the current holder),
// and where the Unlock's line silences SA2001 with staticcheck's own
// directive (//lint:ignore SA2001, or //nolint naming staticcheck). A
// deliberate barrier can also be marked with //syncvet:ignore.
//
// Test files are analysed like any other code: a test that holds a mutex
// while it signals on a channel is reported, since the hazard is the same,
// and the message ends "; in a test". A lock of the tests' own (a field of
// a type, a variable or a local declared in a _test.go file) that a Test,
// Benchmark or Fuzz function itself holds across its own blocking work is
// a deliberate stall of the code under test and is not reported; nor is
// such a lock held anywhere in test files across a file read or a sleep
// (a delay in a test, not a wait on another goroutine).
//
// One critical section is one finding: its first blocking operation is
// reported, with the others as related positions and a count. The
// sections that reach one blocking operation through calls are one
// finding, and so are the sections that block on the same exported
// channel field (a channel the user hands in, a config's event channel)
// under locks of the same classes. Also not
// reported: a reply on a waiter's one-slot channel after the waiter was
// taken out of a map, a slice or a container/list queue; a send followed
// at once by close of the same channel, when the channel is made with a
// buffer (each channel gets one value); a call that ends in a receive from
// a channel the package only closes, after an earlier call on the same
// receiver ran the same receive (the result was already awaited).
package overlock

import (
	_ "embed"

	"github.com/syncvet/syncvet/internal/analyzerdoc"
)

//go:embed doc.go
var doc string

// Doc is the analyzer's documentation: the "Analyzer overlock" section of
// the package comment above, whose first line is the title.
var Doc = analyzerdoc.MustExtract(doc, "overlock")
