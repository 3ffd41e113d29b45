// Package sharedaccess reports memory that goroutines may access at the
// same time with no common lock, no atomic operation and nothing that
// orders the accesses.
//
// # Analyzer sharedaccess
//
// sharedaccess: report unsynchronized access to memory shared between goroutines
//
// Two accesses to the same memory race when at least one writes, they may
// run at the same time (one on a spawned goroutine and the other in the
// spawner after the spawn, or two instances of one goroutine body), no lock
// is held in common, neither is atomic and nothing orders them (the spawn,
// WaitGroup.Wait, a channel send and receive, close, Once.Do).
//
//	// BAD: the goroutine writes err while run reads it
//	func run() error {
//		var err error
//		go func() { err = work() }()
//		return err
//	}
//
//	// GOOD: the result is read after Wait
//	func run() error {
//		var err error
//		var wg sync.WaitGroup
//		wg.Add(1)
//		go func() { defer wg.Done(); err = work() }()
//		wg.Wait()
//		return err
//	}
//
// Fields are also checked by inferred guards, like Eraser and RacerD: a
// field written while holding a struct's mutex in one method and accessed
// without it in another is reported, even when the go statement lives in
// another package. Locking a value that its function has just made (an
// allocation or a constructor's result, not yet stored or passed on)
// does not count towards the guard, and a helper that every caller runs
// on such a fresh value (s := newStore(); s.load(path)) needs no lock.
// A read under another lock that every write of the field also holds
// (a writer that takes both sides' locks) shares a lock with each write.
// The receiver's own fields include those reached through embedded
// fields (w.Base.n); fields of other objects it holds (e.conn.err) are
// checked against their own guard only in a method of the API, and only
// when every other access of the package holds that guard. A field that one function
// changes under the lock and nothing else writes has a weaker guard: an
// exported getter of an exported type that reads it without the lock is
// reported (a setter that locks says the type is shared), unless the
// write is made on an object its maker has not handed out yet, or the
// getter first calls the locked writer (a lazy set-up); other packages
// are not held to such a guard.
//
// The evidence is weighed by accesses and by functions: the lock must
// be held at no fewer accesses than it is missing from, or in more
// functions (in as many when the field is read and changed under it).
// A field that more functions change without the lock than with it, or
// that only one goroutine ever touches (a worker's buffer, drained under
// a lock held for other state), has no guard to break; fields of objects
// the function made itself (a scratch value copied in under the lock)
// count for nothing.
//
//	// BAD: Hits reads c.hits without c.mu
//	func (c *Cache) Put(k string) { c.mu.Lock(); c.hits++; c.mu.Unlock() }
//	func (c *Cache) Hits() int    { return c.hits }
//
//	// GOOD
//	func (c *Cache) Hits() int { c.mu.Lock(); defer c.mu.Unlock(); return c.hits }
//
// Goroutines are followed through callbacks handed down as arguments or
// captured (wait.Until(c.sync, stop)), through interface calls whose
// dynamic type is in sight or whose interface has one implementation in
// the package, and out of functions that leave them running (a
// constructor that starts a loop on the object it returns, up to three
// calls up). A callback handed to a worker pool (a function that runs its
// function parameter on several goroutines) races with itself.
//
//	// BAD: every worker bumps s.scored
//	parallelize(4, n, func(piece int) { s.scored++ })
//
//	// GOOD: each piece writes its own element
//	parallelize(4, n, func(piece int) { out[piece] = score(piece) })
//
// A goroutine that an exported constructor leaves running on the object
// it returns runs beside whatever its caller does with the object next:
// its lock-free accesses to the object are paired with those of the
// type's exported methods (a refresh loop writing the map that Lookup
// reads, a Close that sets a plain flag the loop polls), unless the
// constructor waits for the goroutine before it returns or something
// orders the two (a request the method sends and the loop answers), or
// the method's access lies past a test of the object's state that
// panics on the other side (StartTLS on a server already started).
// Accesses under a lock are left to the guards above.
//
//	// BAD: the caller's Lookup races with the refresh loop
//	func NewCache() *Cache { c := &Cache{m: map[string]int{}}; go c.refresh(); return c }
//	func (c *Cache) refresh() { for range time.Tick(time.Minute) { c.m = load() } }
//	func (c *Cache) Lookup(k string) int { return c.m[k] }
//
// A channel's close counts as a write of the channel and a send as a
// read, so a close that may run while another goroutine sends on the
// channel, or closes it too, is reported: either panics. The channel
// closed by its only sender, a close after the senders are waited for,
// after a loop that receives their values, or under a sync.Once or a
// lock that the senders hold too, is ordered; so is a close that runs
// only for the caller that found a flag clear and set it in one
// critical section (already := c.closing; c.closing = true; then if
// already { return }), or won a CompareAndSwap. Channels are checked
// within their package.
//
//	// BAD: the other senders still send when ch is closed
//	for _, s := range servers {
//		go func() { ch <- query(s) }()
//	}
//	r := <-ch
//	close(ch)
//
// Double-checked locking is reported at its first test: a function that
// tests a variable or field without the lock (nil, or a done flag still
// false), then locks, tests it again and sets it. The first test races
// with another call's write, and seeing the variable set does not order
// what the writer did before. sync.Once, an atomic first test, or a
// first test under the read lock is safe.
//
// Also reported: writes while holding only a read lock (RLock), plain
// writes to a field the package also accesses with sync/atomic (but not
// a program's main setting it up before it starts any goroutine), a map
// guarded by a mutex returned out of its critical section, a method with a
// value receiver that locks a copy of its mutex, and accesses that break a
// gVisor "+checklocks:mu" annotation.
//
// Not reported: consistent locking; a channel of capacity one used as a
// mutex (a larger one is a counting semaphore and excludes nothing);
// goroutines that each write their own element (res[i] with a distinct i)
// or their own part of a slice (xs[lo:hi], its bounds computed per
// goroutine by the loop that starts them), also through a field of the
// element or of what it points to (go stages[i].run() beside go
// stages[i-1].run(); shards[i].wake set before the go statement of
// each iteration: the next iteration's write is to another element);
// values handed off through a channel; a map taken out of its field under
// the lock (m := s.m; s.m = nil); sync/atomic and the atomic types;
// sync.Map; a lazy initialisation under a lock, guarded by a nil check of
// the field it sets or of another field set with it (if t.dead == nil {
// t.dead = make(...); t.dying = make(...) }), also seen from other
// packages; reads without the lock of a field that is only ever filled
// in under it with a value made on the spot where it was nil (a table
// of handlers made and filled by an ensure method): the lock serialises
// the initialisers, not the readers; an object handed to a goroutine as an argument loaded from a
// field that its starter then fills with a new object on every path (a
// builder passed to a flusher and replaced: later accesses are to the new
// one); a write made only while a one-way flag (closed, shutdown:
// never set back to false) is false, under the lock that the other side
// holds when it sets the flag before its access; a loop variable shared
// by the iterations (before Go 1.22)
// and read by the goroutine that ends the loop body, which vet's
// loopclosure reports at the same place; plain accesses between an
// atomic operation on the same object
// before them and one after (a ring buffer's slot passed on by a turn
// counter; other packages see them as ordered too); data built before
// the goroutine starts and read after Wait or a
// receive; what a goroutine does before calling a context's cancel
// function and the code after a receive from that context's Done (the
// context and its cancel made by one call, context.WithCancel of
// context.Background() or a package's own constructor around it, so
// that only the cancel ends it; a struct embedding the context counts),
// and context.AfterFunc's function and the code before the cancel; a
// field written before close(ch) and read after a receive from
// ch (also from what a getter of the field returns, <-r.Ready(), one
// that makes the channel on first use included, and
// across packages: a function's writes before it closes a channel
// field that its package never sends on are marked in its Accesses
// fact, and a ChanGetter fact names the getter's field; the sends,
// receives, closes and WaitGroup operations that a function of another
// package makes on what its parameters reach travel in its Accesses fact
// too, so a test helper's Fire and Wait order what comes before and
// after them),
// when the package never sends on ch (also from another package, whose
// goroutines see such reads left out of the Accesses facts); fields of a
// type whose doc says it is not safe for concurrent use (each value has
// one owner); the lock-free accesses of a function whose name says so
// (UnsafeLoad, StoppedUnsafe) or whose doc disclaims locking ("not
// thread safe", "without taking the lock"); code after the Stop of a time.AfterFunc timer parked on a
// delay of an hour or more; a parallel subtest and its parent (the
// subtest's code before t.Parallel runs inside t.Run, the rest after the
// parent returns); a handler registered on a mux (HandleFunc, Handle)
// and the code before the server starts serving or sends the request
// (ListenAndServe, Serve, httptest.NewServer, http.Get, Client.Do; also
// a go statement that starts Serve, or a function of the package that
// calls it, and the Serve methods of other servers, such as an HTTP/3
// server handed the mux);
// an HTTP handler's writes and the client code after
// the call (http.Get, Client.Do) that returns its response; two runs of
// a handler that a test registers on the default mux (the test makes
// its own requests, as with a mux of its own); a read after
// a Wait() join; a goroutine's accesses that run only after it receives
// from a channel (a worker loop acting on what it is sent) when the
// spawner's code after the go statement neither sends on nor closes
// that channel and starts no other goroutine; a fresh value stored into
// a field by a function that
// then starts the goroutines sharing it (a Start method); a write in a
// function that runs at most once per object, behind a test of a
// one-way flag that it sets before it starts the goroutine (if
// !s.initialized { s.initialize() }), and that goroutine; a goroutine's
// writes before it calls a release its spawner handed it as a function
// value (a server's NotifyStartedFunc set to wg.Done or mu.Unlock) and
// the spawner's code after the wait; the channel a constructor returns
// beside the object that closes it (p, ch := newProducer(): a range
// over ch ends at p's close). Locks that
// every caller in the package holds, or that a doc comment says the
// caller holds ("must be called with mu held", "Lock should be held"),
// count as held in the function and in its callees. A field's guard
// binds other packages only when its own package holds it at every
// shared access.
// A callee's branches that its arguments decide are not followed: a
// boolean passed as a constant, a pointer passed as nil, a boolean field
// of a struct literal passed by address or value (left false or set to
// a constant), so a goroutine started only on the other branch does not
// run for that call (handleLeave(&leaveMsg{node: n}) never prunes).
// A read of a slice or map field that only compares it with nil (or
// takes a slice's len or cap) does not conflict with writes into its
// elements (c.queue != nil beside c.queue[i] = nil under the lock).
// Several goroutines of one function racing on one variable are one
// finding, with the others counted. Interface calls with several possible
// implementations are not followed, nor calls through an exported
// interface of an importable package unless the dynamic type is known
// (testify's TestingT is the caller's *testing.T, not the package's own
// collector); function values stored in fields are not followed, and
// memory reached through values the analysis cannot name is assumed
// unshared.
package sharedaccess

import (
	_ "embed"

	"github.com/syncvet/syncvet/internal/analyzerdoc"
)

//go:embed doc.go
var doc string

// Doc is the analyzer's documentation: the "Analyzer sharedaccess" section of
// the package comment above, whose first line is the title.
var Doc = analyzerdoc.MustExtract(doc, "sharedaccess")
