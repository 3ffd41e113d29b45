// Package lockorder reports lock acquisitions that can deadlock: lock
// order cycles, double locking, and read-lock recursion or upgrade.
//
// # Analyzer lockorder
//
// lockorder: report lock order cycles, double locking and RWMutex recursion
//
// Two goroutines that take Bank.mu then Ledger.mu, and Ledger.mu then
// Bank.mu, can each hold one lock and wait forever for the other. The
// analyzer builds the acquired-before graph of lock classes (a type's field
// such as Bank.mu, or a package-level mutex) from every function, through
// calls and across packages, and reports each cycle once, at the edge in
// the current package that closes it, with every other edge as related
// information.
//
//	// BAD
//	func (b *Bank) Pay(l *Ledger)   { b.mu.Lock(); l.mu.Lock(); ... }
//	func (l *Ledger) Audit(b *Bank) { l.mu.Lock(); b.mu.Lock(); ... }
//
//	// GOOD: every path takes Bank.mu first
//	func (l *Ledger) Audit(b *Bank) { b.mu.Lock(); l.mu.Lock(); ... }
//
// Edges are also made through calls the source does not spell out: an
// interface of the package with a single implementing type, callbacks
// stored in struct fields or passed as arguments (from the functions,
// closures and method values of the package that reach them), and the
// String or Error methods that fmt and log call on their operands. A
// package that calls an exported function-valued field of its own type
// with locks held says so in its Edges fact; a package that stores a
// function into that field (c.OnStateChange = b.handle) adds the edges
// from those locks to the locks the function takes.
//
// A sync.Mutex is not reentrant: locking one that is already held on that
// path (directly, or in a callee such as a method that locks calling
// another method that locks) blocks forever.
//
//	// BAD
//	func (c *Cache) Get(k string) V { c.mu.Lock(); defer c.mu.Unlock(); return c.load(k) }
//	func (c *Cache) load(k string) V { c.mu.Lock(); ... }
//
//	// GOOD: the helper expects the lock to be held
//	func (c *Cache) loadLocked(k string) V { ... }
//
// A deferred Lock of a mutex that is still held at return (the typo
// defer mu.Lock() for defer mu.Unlock()) locks it a second time when the
// function returns. staticcheck's SA2003 reports the same typo; syncvet
// keeps SA2003 off by default because this check covers it.
//
// An Unlock of a mutex that the function itself locked and has already
// unlocked on every path to it, with no Lock in between, panics ("unlock
// of unlocked mutex") or ends another goroutine's critical section; it is
// often a slip for another mutex, which then stays held, and the message
// names the ones held there.
//
//	// BAD: the second Unlock meant logMu
//	l.entriesMu.Lock(); ...; l.entriesMu.Unlock()
//	l.logMu.Lock(); ...; l.entriesMu.Unlock()
//
// The same holds for a deferred Unlock that runs at a return reached
// only after the body unlocked the mutex itself (to do slow work
// unlocked, say) without locking it again. A deferred function that
// checks a flag, or an unlock wrapped in sync.OnceFunc, is not reported.
//
// A lock that a path leaves held deadlocks the next acquisition: an early
// return or break that skips the Unlock (in the function, or in a callee
// that returns holding the lock on some paths and has no result that says
// so), a loop body that can go round with the lock held, or a goroutine
// started while such a lock is still held and never released, which then
// locks it. All the later acquisitions after calls of one such callee are
// one finding. When the callee belongs to another package of the module
// being analysed, its own package reports the return that skips the Unlock
// (overlock), so its callers in the module get no second finding.
//
//	// BAD: the closed path breaks out still holding p.mu
//	for { p.mu.Lock(); if p.closed { break }; p.mu.Unlock(); break }
//	p.mu.Lock()
//
// A goroutine (or time.AfterFunc callback) whose function returns holding
// a lock, on every path or on some, leaves it locked for good: every later
// acquisition blocks. Not reported when some function of the package
// releases a lock of that class without having taken it (a hand-off).
//
// A sync.RWMutex read lock taken twice on one path deadlocks once a writer
// queues between the two RLocks; Lock while holding RLock (an upgrade) and
// RLock while holding Lock deadlock at once.
//
// Two instances of one type locked in both orders (transfer(a, b) in one
// goroutine, transfer(b, a) in another) deadlock like two classes; the fix
// is to lock instances in a stable order, for example by an id. The same
// holds for a function that locks two of its parameters of one type
// (not the receiver) in the order they are passed, even where no caller
// in view swaps them: transfer(src, dst) locking src.mu then dst.mu is
// one call with swapped arguments from a deadlock. Parameters named for
// a place in a structure (parent and child, prev and next) are left
// alone, as the structure fixes their order, and so are the helpers of
// test files (equal(p, q), called one pair at a time).
//
// A lock that the goroutine started by a go statement releases on every
// path is handed to that goroutine: a later Lock in the starter waits for
// it instead of locking twice (mu.Lock(); go func() { ...; mu.Unlock() }()).
// A return or break out of a range-over-func loop body leaves the locks as
// the same loop over a slice would.
//
// Not reported: a consistent order everywhere; TryLock (it does not wait);
// locks released before the next is taken; pairs always taken under one
// common outer lock (a gate); instances of one type whose order the code
// never shows reversed, other than two parameters locked in argument
// order; read-read orders; mutexes reached only through a
// bare *sync.Mutex, whose class is unknown.
//
// syncvet lockgraph -o FILE PACKAGES writes the acquired-before graph that
// this check builds, from the Edges facts of the packages and their
// dependencies, to FILE in Graphviz DOT, with cycle edges in red.
package lockorder

import (
	_ "embed"

	"github.com/syncvet/syncvet/internal/analyzerdoc"
)

//go:embed doc.go
var doc string

// Doc is the analyzer's documentation: the "Analyzer lockorder" section of
// the package comment above, whose first line is the title.
var Doc = analyzerdoc.MustExtract(doc, "lockorder")
