// Package lockset computes, for every function of a package, which
// mutexes are held at each SSA instruction, and summarises each
// function's effect on locks as a fact for its callers.
//
// It reports nothing. Analyzers read its *Result:
//
//	ls := pass.ResultOf[lockset.Analyzer].(*lockset.Result)
//	fl := ls.Func(fn)            // nil if fn is not in this package
//	fl.MustHeld(instr)           // locks held on every path to instr
//	fl.MayHeld(instr)            // locks held on some path to instr
//	fl.Events()                  // acquisitions and releases, in order
//	ls.Summary(callee)           // what a call does to the caller's locks
//
// # Lock identity
//
// A Lock is named relative to the function that holds it, by an access
// path: a root (receiver or parameter, package-level variable, captured
// variable, local variable, or failing those one SSA value) followed by
// field selections, pointer loads and constant indices. Two Locks of one
// function with equal Key are the same mutex. s.mu and s.inner.mu differ;
// two loads of the same pointer field (c.p.mu twice) are taken to be the
// same object.
//
// Each Lock also has a Class that is stable across functions and packages
// and names the set of mutexes it may belong to:
//
//	(*example.com/bank.Bank).mu        field mu of any Bank (type and field)
//	(*crypto/tls.Conn).in.Mutex        the Mutex embedded in field in of any
//	                                   Conn: fields of one allocation are
//	                                   named from the outermost struct
//	                                   reached without a pointer load, so
//	                                   c.in and c.out are different classes
//	example.com/bank.registryMu        a package-level mutex
//	example.com/bank.reg.mu            field mu of the package-level reg
//	example.com/bank.run.mu            the local variable mu of func run
//	(*example.com/bank.Bank).locks[]   an element of the map or slice
//	                                   field locks chosen by a key that is
//	                                   not constant: each lookup is its
//	                                   own lock (Key), all share the class;
//	                                   a function that returns holding one
//	                                   has it in Summary.Acquires by class
//	*sync.Mutex                        a mutex reached through a bare
//	                                   pointer: an anonymous class
//	                                   (Lock.Anonymous)
//
// Inside a method of halfConn, hc.Mutex has class (*halfConn).Mutex; a
// caller that reaches the same lock through c.in (directly or through
// the method's summary) names it (*Conn).in.Mutex.
//
// Anonymous classes lump unrelated mutexes together; consumers must not
// reason across instances with them.
//
// # What is understood
//
// sync.Mutex and sync.RWMutex (Lock, Unlock, RLock, RUnlock; TryLock and
// TryRLock hold the lock on the branch where they returned true), the
// sync.Locker interface (a Locker or *sync.Cond field that every store
// in the package fills from a mutex field of the same object, as
// x.cond = sync.NewCond(x.mu.RLocker()), stands for that mutex, its read
// side for RLocker), mutexes embedded in structs (s.Lock()), defer
// (a deferred Unlock releases at return, after the instructions of the
// body; a deferred closure is summarised like any callee), and calls to
// functions whose Summary says what they do: lock wrappers such as
// func (s *S) lock() { s.mu.Lock() }, helpers that unlock, and functions
// that take a lock and release it before returning. Summaries of functions
// in other packages arrive as facts; the sync package's behaviour is
// built in, so the analysis works when the standard library is not
// analysed. A call to a printing function of fmt, log or testing
// takes the locks that the String or Error methods of its operands take
// (with a constant format, only when it has a %v, %s or %q verb), and a
// call of (*sync.Once).Do takes what its function takes. A call
// through an interface declared in the package that exactly one of its
// types implements (other than by embedding an interface) does what a
// call of that method does, mapped onto the receiver and arguments. A call of a
// function value takes what the functions that can reach it take: values
// of the package's functions, closures and method values are followed
// through stores into struct fields (by type and field) and arguments to
// the package's functions (by parameter); with more than four possible
// targets the call is unknown, with two to four its takes are Maybe, and
// the locks of a closure or method reached this way are known by class
// only. Calls of function values only take locks: they never change
// the caller's held set, nor do go statements. When the value has one
// possible target that releases a lock (and may take it back), the
// release counts by class: the takes after it are not recorded as made
// under the caller's lock of that class (a closure that gives up the
// caller's mutex around the work it hands to another lock), and the
// function's summary carries that release by class to its callers.
//
// # Locks left held
//
// A lock held on every path of one edge into a merge, by an acquisition
// that another edge released, is left held by the first path: an early
// return or break that skips the Unlock. FuncLocks.Stale reports such
// locks where they are still held, and an acquisition that can go round
// a loop and reach itself with its lock still held; StaleAtExit those
// left held at return, and Summary.Leaks carries them to callers (which
// apply them only when the callee has no results or the result is
// dropped: otherwise the result may tell whether the lock is held). A
// later path that releases the same acquisition (if !unlocked {
// mu.Unlock() }) settles the leak, as does a deferred call that does
// so on some of its paths (a deferred closure that unlocks unless a
// flag says an earlier path did, the flag set in a callback), and a
// callee whose Summary.MayReleases says it unlocks the lock on some
// paths, as a helper that unlocks when a flag records that the lock is
// held. Stale locks
// are never in MustHeld and produce no Events.
//
// A field of a value returned by a constructor of the package that
// stores one of its parameters there (func newT(c *C) *T { return &T{c:
// c} }) is, in the caller, the argument: a lock that a method of the
// result takes through that field is the caller's lock.
//
// Not modelled: locks released on panic paths (a panicking path has no
// return, so it does not weaken summaries), recursive read locks counted
// beyond one (a second RLock then one RUnlock leaves the lock not held),
// and aliasing between different access paths.
//
// # Facts
//
// Summary is exported for every function and method with an object
// (closures have none; their summaries are used within the package), on
// fn.Origin() so that all instantiations of a generic function share it.
// Summaries are sorted, hold no positions other than "file.go:line"
// strings, and are capped (MaxRefs, MaxEdges) so that a fact stays below
// about 8 KiB.
package lockset
