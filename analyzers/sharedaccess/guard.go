package sharedaccess

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"

	"github.com/syncvet/syncvet/passes/lockset"
)

// Guarded is a fact on a struct field: the mutex that guards it, a field
// of the same struct, inferred from how the package uses the field or
// read from a gVisor "+checklocks:mu" annotation.
type Guarded struct {
	Lock      string // the guarding field's name: "mu"
	Class     string // its lock class: "(*example.com/cache.Cache).mu"
	Annotated bool   // from +checklocks
	// Loose reports that the package itself accesses the field without
	// the lock somewhere: other packages are not checked against it.
	Loose bool
}

// AFact marks Guarded as a fact.
func (*Guarded) AFact() {}

func (g *Guarded) String() string {
	if g.Annotated {
		return "guarded(" + g.Lock + ",annotated)"
	}
	return "guarded(" + g.Lock + ")"
}

// checkGuards infers the lock that guards each field and reports
// accesses without it, writes under read locks, guarded maps returned out
// of their critical section, and locks on copied receivers.
// notes and annotated are the checklocks annotations (st.annotations),
// read once before checkSpawns.
func (st *state) checkGuards(notes map[*ssa.Function]funcNotes, annotated map[*types.Var]string) {
	entry := st.entry // computed before checkSpawns
	var all []*faccess
	for _, fn := range st.ssa.SrcFuncs {
		if notes[fn].ignore {
			continue
		}
		fl := st.locks.Func(fn)
		held := append(append([]lockset.Lock(nil), entry[fn]...), notes[fn].held...)
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				for _, a := range st.fieldAccesses(fn, instr) {
					a.must = append(append([]lockset.Lock(nil), held...), fl.MustHeld(instr)...)
					a.may = fl.MayHeld(instr)
					all = append(all, a)
				}
			}
		}
		st.checkCopiedLock(fn)
	}
	byClass := map[string][]*faccess{}
	var classes []string
	for _, a := range all {
		if byClass[a.class] == nil {
			classes = append(classes, a.class)
		}
		byClass[a.class] = append(byClass[a.class], a)
	}
	sort.Strings(classes)
	st.closeOrdered = map[ssa.Instruction]bool{}
	for _, class := range classes {
		accs := byClass[class]
		if f := accs[0].field; f == nil || f.Exported() || f.Pkg() != st.pass.Pkg {
			continue // other packages may write it without the close
		}
		for _, u := range accs {
			if !u.write && st.publishedByClose(u, accs) {
				st.closeOrdered[u.instr] = true
			}
		}
	}
	for _, class := range classes {
		accs := byClass[class]
		if _, ann := annotated[accs[0].field]; !ann && st.singleOwner(accs[0].field) {
			continue // a type documented as not safe for concurrent use
		}
		if st.atomicClass(class) {
			st.checkMixedAtomic(accs)
			continue
		}
		field := accs[0].field
		if ann, ok := annotated[field]; ok && field != nil {
			st.checkAnnotated(accs, ann)
			continue
		}
		var imported Guarded
		if field != nil && field.Pkg() != st.pass.Pkg && st.pass.ImportObjectFact(field, &imported) {
			st.checkImported(accs, &imported)
			continue
		}
		if st.onceOnly(accs) {
			continue
		}
		guard, lockName, weak := st.inferGuard(accs)
		if weak {
			// One write under the lock is all the evidence: only a
			// getter of the API that skips it is reported, and other
			// packages are not held to it.
			st.checkRLockWrites(accs, "")
			st.checkUnguardedGetter(accs, guard, lockName)
			continue
		}
		st.checkRLockWrites(accs, guard)
		if guard == "" {
			continue
		}
		if field != nil && field.Pkg() == st.pass.Pkg && strings.HasPrefix(guard, accs[0].owner+".") {
			st.pass.ExportObjectFact(field, &Guarded{Lock: strings.TrimPrefix(guard, accs[0].owner+"."), Class: guard, Loose: !consistentlyGuarded(accs, guard)})
		}
		st.checkUnguarded(accs, guard, lockName)
		st.checkEscapes(accs, guard)
	}
	st.flushUnguarded()
}

// An unguardedFinding is one function's accesses without the lock that
// guards the fields they touch: one root cause (a function that skips
// the lock), one finding, at the first of them, naming the others.
type unguardedFinding struct {
	pos  token.Pos
	name string
	msg  string
	rel  analysis.RelatedInformation
}

// addUnguarded records u's finding with the others of u's function and
// lock.
func (st *state) addUnguarded(u *faccess, guard, msg string, rel analysis.RelatedInformation) {
	if st.dcl[u.instr] {
		return // reported as double-checked locking
	}
	key := u.fn.String() + "|" + guard
	if _, ok := st.unguarded[key]; !ok {
		st.unguardedOrder = append(st.unguardedOrder, key)
	}
	if st.unguarded == nil {
		st.unguarded = map[string][]unguardedFinding{}
	}
	st.unguarded[key] = append(st.unguarded[key], unguardedFinding{pos: ssax.ReportPos(u.instr), name: u.name, msg: msg, rel: rel})
}

// checkUnguardedGetter reports, for a field with a weak guard, a read
// without the guard in a method of the package's API: an exported
// method of an exported type that may run while the one write under
// the lock does (RacerD's rule: a type that locks in some methods is
// used from several goroutines). Reads that the strong guard's other
// exemptions cover are left alone, and so are reads in types that
// disclaim concurrent use.
func (st *state) checkUnguardedGetter(accs []*faccess, guard, lockName string) {
	var w *faccess
	for _, a := range accs {
		if a.write && a.holds(guard, true) {
			w = a
		}
	}
	if w == nil || w.root == nil || st.madeHere(w.root) || st.madeHere(ssax.Unspill(w.root)) || st.setupOnFresh(w) {
		return // set up on an object before its maker hands it out
	}
	for _, u := range accs {
		if !u.shared || u.write || ssax.SyncParent(u.fn) == ssax.SyncParent(w.fn) || u.mayHold(guard) || u.holdsAny() || !apiEntry(u.fn) || u.fn.Signature.Recv() == nil || lifecycle(u.fn) ||
			!(u.direct() || st.consistentElsewhere(u, accs, guard)) || st.callsBefore(u.fn, ssax.Origin(w.fn), u.instr) || st.unguardedExempt(u, accs, guard) {
			continue
		}
		lk := lockNameFor(u, guard, lockName)
		msg := fmt.Sprintf("unsynchronized %s %s: %s %s it without %s, which %s %s holding it",
			hz(u), u.name, funcDisplay(u.fn), vb(u.write), lk, funcDisplay(w.fn), vb(w.write))
		st.addUnguarded(u, guard, msg, related(ssax.ReportPos(w.instr), fmt.Sprintf("%s %s holding %s", vb(w.write), w.name, lockNameFor(w, guard, lockName))))
		return
	}
}

// unguardedExempt reports the reasons, shared by the guard check and the
// getter rule, to leave an access without the guard alone: its caller
// holds the lock by contract, its function disclaims concurrent use or
// is a test, nothing concurrent reaches it, or something orders it
// after the writes (a one-way flag, a close, a start, a join, a set-up
// on a fresh object or before every way to it).
func (st *state) unguardedExempt(u *faccess, accs []*faccess, guard string) bool {
	return st.callerLocked(u.fn) || disclaimsSafety(u.fn) || st.inTest(u.fn) || !st.entryPoint(u.fn) ||
		st.setUpFirst(u, accs) || st.flagGatedRead(u, accs) || teardownReset(u) || st.publishedByClose(u, accs) ||
		st.initBeforeStart(u) || st.writtenToStart(u, accs) || afterJoin(u) || st.joinedBefore(u, accs, guard) || st.setupOnFresh(u)
}

// lifecycle reports whether fn's name says it starts, stops or tears
// down its receiver (Start, Open, Close, Shutdown, Reset): its owner
// calls it in sequence with the others, not beside them.
func lifecycle(fn *ssa.Function) bool {
	name := ssax.Origin(fn).Name()
	return syncapi.Named(name, syncapi.Setup) || syncapi.Named(name, syncapi.Teardown)
}

// consistentElsewhere reports whether u, a read through another object
// (e.conn.err), is the package's only break of the field's guard: it
// sits in a method of the API, and every other shared access of the
// field, in any other function, holds the guard. A wrapper that reads
// the wrapped object's state without the lock that the object's own
// methods always take races with them.
func (st *state) consistentElsewhere(u *faccess, accs []*faccess, guard string) bool {
	if u.write || !apiEntry(u.fn) || u.fn.Signature.Recv() == nil {
		return false
	}
	n := 0
	for _, a := range accs {
		if a.fn == u.fn || !a.shared || st.fresh(a) {
			continue
		}
		if !a.mayHold(guard) {
			return false
		}
		n++
	}
	return n >= 2
}

func (st *state) flushUnguarded() {
	for _, key := range st.unguardedOrder {
		fs := st.unguarded[key]
		first := 0
		for i, f := range fs {
			if f.pos < fs[first].pos {
				first = i
			}
		}
		var also []string
		for i, f := range fs {
			if i != first && f.name != fs[first].name && !slices.Contains(also, f.name) {
				also = append(also, f.name)
			}
		}
		msg := fs[first].msg
		if len(also) > 0 {
			msg += fmt.Sprintf(" (and %s, under the same lock)", names.List(also))
		}
		st.report(fs[first].pos, CatGuard, msg, fs[first].rel)
	}
	st.unguarded, st.unguardedOrder = nil, nil
}

// consistentlyGuarded reports whether every shared access of the
// package holds guard (or may: a path that holds it). Other packages are
// held to a field's guard only then: a package that itself reads the
// field without the lock somewhere (set once before the value is
// published, changed only on a path of its own) does not ask its users
// for a stricter discipline than it follows.
func consistentlyGuarded(accs []*faccess, guard string) bool {
	for _, a := range accs {
		if a.shared && !a.mayHold(guard) {
			return false
		}
	}
	return true
}

// inferGuard returns the lock class held at the most accesses of a
// field, provided some write holds it, it is held at two accesses or
// more, and at no fewer accesses than it is missing from (or in more
// functions, or in as many when the field is read and changed under
// it). Accesses to an object still private to the function that made
// it do not count.
//
// A field that falls short of that evidence (held at one access, or
// never read and written together under the lock) but that one
// function changes under the lock has a weak guard (weak is true): the
// setter of a getter and setter pair.
func (st *state) inferGuard(all []*faccess) (guard, name string, weak bool) {
	// Accesses to a variable the function made (a scratch value filled
	// in and copied under the lock) say nothing of the shared objects'
	// discipline.
	accs := slices.DeleteFunc(slices.Clone(all), func(a *faccess) bool {
		al, ok := a.root.(*ssa.Alloc)
		if !ok {
			return false
		}
		_, spilled := ssax.SoleStore(al).(*ssa.Parameter)
		return !spilled
	})
	count := map[string]int{}
	writes := map[string]bool{}
	names := map[string]string{}
	for _, a := range accs {
		if st.fresh(a) {
			continue // an object the function made itself: its locking says nothing of the others'
		}
		seen := map[string]bool{}
		for _, l := range a.must {
			if l.Anonymous() || l.Unknown || seen[l.Class] || l.Class == "sync.Once" || !ownLock(a, l.Class) {
				continue
			}
			seen[l.Class] = true
			count[l.Class]++
			if a.write && !l.Read {
				writes[l.Class] = true
			}
			if names[l.Class] == "" {
				names[l.Class] = l.Name
			}
		}
	}
	best := ""
	for c, n := range count {
		if !writes[c] {
			continue
		}
		if best == "" || n > count[best] || n == count[best] && c < best {
			best = c
		}
	}
	if best == "" {
		return "", "", false
	}
	// The lock must be held at no fewer accesses than it is missing
	// from, or in more functions, or in as many with strong evidence
	// (the field read and changed under the lock): one function that
	// walks a map several times without the lock does not outvote the
	// one that changes it under the lock, but a lone setter does not
	// outvote a lone reader that reads twice.
	//
	// Nor must more functions change the field without the lock than
	// with it (Start, Close and the like aside, which run in sequence
	// with the others): a field that several setters change without
	// the lock, and one function (a draw or flush holding the lock
	// across its whole body for other fields) also changes under it,
	// belongs to the goroutine that calls them all, not to the lock.
	missing := 0
	heldIn, missingIn := map[*ssa.Function]bool{}, map[*ssa.Function]bool{}
	writesHeld, writesMissing := map[*ssa.Function]bool{}, map[*ssa.Function]bool{}
	for _, a := range accs {
		if a.shared && !a.mayHold(best) {
			missing++
			missingIn[a.fn] = true
			if a.write && !st.fresh(a) && !lifecycle(a.fn) {
				writesMissing[a.fn] = true
			}
		} else if a.holds(best, false) && !st.fresh(a) {
			heldIn[a.fn] = true
			if a.write {
				writesHeld[a.fn] = true
			}
		}
	}
	weak = count[best] < 2 || !mutated(accs, best)
	if missing > count[best] && !(len(heldIn) > len(missingIn) || len(heldIn) == len(missingIn) && !weak) {
		return "", "", false
	}
	if len(writesMissing) > len(writesHeld) {
		return "", "", false
	}
	if weak {
		if changedOnce(accs, best) {
			return best, names[best], true
		}
		return "", "", false
	}
	return best, names[best], false
}

// changedOnce reports whether one function writes the field under the
// guard, changing it rather than filling in a value made where it was
// nil.
func changedOnce(accs []*faccess, guard string) bool {
	var w *ssa.Function
	for _, a := range accs {
		if !a.holds(guard, false) || !a.write {
			continue
		}
		if a.init || w != nil && w != a.fn {
			return false
		}
		w = a.fn
	}
	return w != nil
}

// ownLock reports whether lock class guards a's memory plausibly: a
// mutex of the same struct for a field, a package-level mutex for a
// global.
func ownLock(a *faccess, class string) bool {
	if a.owner != "" {
		return strings.HasPrefix(class, a.owner+".")
	}
	return !strings.HasPrefix(class, "(") && !strings.HasPrefix(class, "*")
}

// mutated reports whether the field is mutable shared state rather than
// state initialised once under the lock: its contents are written under
// the guard, it is read and written under the guard in one function
// (a read-modify-write), or two functions write it under the guard;
// and some write under the guard changes it rather than fills in a
// value made where it was nil (faccess.init).
func mutated(accs []*faccess, guard string) bool {
	writers := map[*ssa.Function]bool{}
	readers := map[*ssa.Function]bool{}
	changed := false // a write other than filling in a fresh value
	for _, a := range accs {
		if !a.holds(guard, false) {
			continue
		}
		if a.write && !a.init {
			changed = true
			if a.elem {
				return true
			}
		}
		if a.write {
			writers[a.fn] = true
		} else {
			readers[a.fn] = true
		}
	}
	if !changed {
		return false // only ever initialised under the lock
	}
	for fn := range writers {
		if readers[fn] {
			return true
		}
	}
	return len(writers) >= 2
}

// inTest reports whether fn is declared in a _test.go file.
func (st *state) inTest(fn *ssa.Function) bool {
	f := st.pass.Fset.File(fn.Pos())
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
}

// lockNameFor names the guard lock as seen from a's base expression.
func lockNameFor(a *faccess, guard, fallback string) string {
	if a.owner != "" && strings.HasPrefix(guard, a.owner+".") && a.base != "" {
		return a.base + "." + strings.TrimPrefix(guard, a.owner+".")
	}
	return fallback
}

// otherCommonLock reports a read made without the guard but under
// another lock that every write of the field holds too: the writer
// takes both locks (a buffer's write side and, to grow the storage, its
// read side), and each reader takes one of them. Every read-write pair
// then shares a lock.
func (st *state) otherCommonLock(u *faccess, accs []*faccess) bool {
	if u.write || !u.holdsAny() {
		return false
	}
	writes := 0
	for _, a := range accs {
		if !a.write || st.fresh(a) {
			continue
		}
		writes++
		common := false
		for _, l := range u.must {
			if !l.Anonymous() && !l.Unknown && a.holds(l.Class, true) {
				common = true
				break
			}
		}
		if !common {
			return false
		}
	}
	return writes > 0
}

func (st *state) checkUnguarded(accs []*faccess, guard, lockName string) {
	if st.confined(accs) {
		return // one goroutine touches the field: the lock is there for other state
	}
	var w, hw *faccess
	for _, a := range accs {
		if !st.fresh(a) && a.write && a.holds(guard, true) && (w == nil || w.init && !a.init) {
			w = a // a write that changes the field rather than fills it in, if any
		}
		if !st.fresh(a) && a.write && !a.elem && a.holds(guard, true) && (hw == nil || hw.init && !a.init) {
			hw = a // the same among writes of the field itself
		}
	}
	var any *faccess
	for _, a := range accs {
		if !st.fresh(a) && a.holds(guard, false) {
			any = a
			break
		}
	}
	done := map[*ssa.Function]bool{}
	for _, u := range accs {
		if !u.shared || u.mayHold(guard) || done[u.fn] ||
			!(u.direct() || u.promoted || st.consistentElsewhere(u, accs, guard)) || st.afterTake(u, guard, accs) || st.otherCommonLock(u, accs) || st.unguardedExempt(u, accs, guard) {
			continue
		}
		other := w
		if !u.write && !u.elem && headerOnly(u.instr) {
			// A read of the field itself that looks at nothing it
			// holds (c.queue != nil, len of a slice) does not conflict
			// with writes into the slice or map (c.queue[i] = nil).
			other = hw
		}
		if u.write && other == nil {
			other = any
		}
		if other == nil || ssax.SyncParent(other.fn) == ssax.SyncParent(u.fn) && !u.write {
			continue
		}
		done[u.fn] = true
		lk := lockNameFor(u, guard, lockName)
		msg := fmt.Sprintf("unsynchronized %s %s: %s %s it without %s, which %s %s holding it",
			hz(u), u.name, funcDisplay(u.fn), vb(u.write), lk, funcDisplay(other.fn), vb(other.write))
		st.addUnguarded(u, guard, msg, related(ssax.ReportPos(other.instr), fmt.Sprintf("%s %s holding %s", vb(other.write), other.name, lockNameFor(other, guard, lockName))))
	}
}

func (st *state) checkImported(accs []*faccess, g *Guarded) {
	if g.Loose && !g.Annotated {
		return
	}
	done := map[*ssa.Function]bool{}
	for _, u := range accs {
		if !u.shared || u.mayHold(g.Class) || u.holdsAny() || done[u.fn] || st.fresh(u) || st.setupOnFresh(u) {
			continue
		}
		done[u.fn] = true
		msg := fmt.Sprintf("unsynchronized %s %s: %s %s it without %s.%s, which guards it in package %s",
			hz(u), u.name, funcDisplay(u.fn), vb(u.write), u.base, g.Lock, u.field.Pkg().Name())
		st.report(ssax.ReportPos(u.instr), CatGuard, msg)
	}
}

// checkRLockWrites reports writes made while holding only a read lock
// of the written struct (or a global lock for a global).
func (st *state) checkRLockWrites(accs []*faccess, guard string) {
	for _, a := range accs {
		if !a.write || !a.shared {
			continue
		}
		// A map written under a read lock always races with the other
		// readers. So does a field, unless the write lock guards it
		// elsewhere and this write does not hold that guard (the guard
		// check reports that one).
		if !a.elem && guard != "" && !a.holds(guard, false) {
			continue
		}
		var rl *lockset.Lock
		exclusive := false
		for i, l := range a.must {
			if l.Anonymous() || l.Unknown || l.Class == "sync.Once" {
				continue
			}
			if !l.Read {
				exclusive = true
			} else if a.owner != "" && strings.HasPrefix(l.Class, a.owner+".") || a.owner == "" && !strings.HasPrefix(l.Class, "(") {
				rl = &a.must[i]
			}
		}
		if rl == nil || exclusive || st.upgradeBefore(a, rl.Key) {
			continue
		}
		// With no inferred guard, the read lock must be what the code
		// relies on for this field: every other access holds it too.
		// (A mutex held for another purpose, such as keeping a
		// single-goroutine object from being closed, is not a guard.)
		if !a.elem && guard == "" && !rlockGuardsAll(accs, rl.Class) {
			continue
		}
		msg := fmt.Sprintf("unsynchronized write to %s: %s writes it holding only the read lock %s, which other readers hold at the same time",
			a.name, funcDisplay(a.fn), lockNameFor(a, rl.Class, rl.Name))
		st.report(ssax.ReportPos(a.instr), CatRLock, msg)
	}
}

// upgradeBefore reports whether a's function asks for the write side
// of the read lock with key on the way to a (RLock, then Lock: the
// upgrade deadlocks, and lockorder reports that one root cause).
func (st *state) upgradeBefore(a *faccess, key string) bool {
	for _, e := range st.locks.Func(a.fn).Events() {
		if e.Kind == lockset.Acquire && !e.Deferred && !e.Lock.Read && e.Lock.Key == key && ssax.Dominates(e.Instr, a.instr) {
			return true
		}
	}
	return false
}

// rlockGuardsAll reports whether the field has more than one access and
// every one of them holds class, for reading or writing.
func rlockGuardsAll(accs []*faccess, class string) bool {
	n := 0
	for _, a := range accs {
		if !a.holds(class, false) {
			return false
		}
		n++
	}
	return n > 1
}

// checkEscapes reports a guarded map or slice field returned by a
// function that took its guard, while writes to its contents hold the
// guard elsewhere.
func (st *state) checkEscapes(accs []*faccess, guard string) {
	var w *faccess
	for _, a := range accs {
		if a.elem && a.write && a.holds(guard, true) {
			w = a
			break
		}
	}
	if w == nil {
		return
	}
	for _, a := range accs {
		if a.elem || a.write || !a.holds(guard, false) || st.callerLocked(a.fn) {
			continue
		}
		load, ok := a.instr.(*ssa.UnOp)
		if !ok || !returned(load) || st.returnsHolding(a.fn, guard) || st.testsOnly(a.fn) {
			continue
		}
		kind := "map"
		if _, ok := load.Type().Underlying().(*types.Slice); ok {
			kind = "slice"
		}
		msg := fmt.Sprintf("%s escapes its critical section: %s returns the %s guarded by %s, which %s writes holding it",
			a.name, funcDisplay(a.fn), kind, lockNameFor(a, guard, ""), funcDisplay(w.fn))
		st.report(ssax.ReportPos(a.instr), CatEscape, msg, related(ssax.ReportPos(w.instr), "written here holding the lock"))
	}
}

// testsOnly reports whether fn runs only in the package's tests: it is
// a test function, or an unexported function that only tests call (a
// helper that hands a test the guarded map to inspect), or one that
// nothing calls.
func (st *state) testsOnly(fn *ssa.Function) bool {
	if st.inTest(fn) {
		return true
	}
	if fn.Object() == nil || fn.Object().Exported() {
		return false
	}
	callers, ok := st.callersOf(fn)
	if !ok || len(callers) == 0 && fn.Signature.Recv() != nil {
		return false // a method may be called through an interface
	}
	// With no callers at all, the function is called by tests that this
	// unit does not include (the package analysed without its tests).
	for _, c := range callers {
		if !st.inTest(c) {
			return false
		}
	}
	return true
}

func returned(v *ssa.UnOp) bool {
	switch v.Type().Underlying().(type) {
	case *types.Map, *types.Slice:
	default:
		return false
	}
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.Return:
			return true
		case *ssa.Store:
			// With defers, results pass through a local slot.
			if slot, ok := r.Addr.(*ssa.Alloc); ok && r.Val == v && !slot.Heap {
				for _, u := range *slot.Referrers() {
					if ld, ok := u.(*ssa.UnOp); ok && ld.Op == token.MUL {
						for _, lr := range *ld.Referrers() {
							if _, ok := lr.(*ssa.Return); ok {
								return true
							}
						}
					}
				}
			}
		}
	}
	return false
}

func (st *state) returnsHolding(fn *ssa.Function, class string) bool {
	s := st.locks.Summary(fn)
	if s == nil {
		return false
	}
	return strings.Contains(fmt.Sprint(s.Acquires), lockset.ShortClass(class))
}

// setUpFirst reports whether the read u comes after every write of its
// field on each way u's function is reached: all writes are in one
// function w and only fill the field in where it was nil (a lazy
// set-up, which writes once), and each call or go statement that
// reaches u's function, up to three calls up, comes after a call of w
// in its own function, or of a helper that calls w (s.mu.Lock();
// s.init(); s.mu.Unlock(); go s.handle(c)). The reader then sees the
// set-up's write, ordered by the call or the go statement.
func (st *state) setUpFirst(u *faccess, accs []*faccess) bool {
	var w *ssa.Function
	for _, a := range accs {
		if !a.write || st.fresh(a) {
			continue
		}
		if !(a.init || lazyInit(a.instr)) || w != nil && ssax.Origin(a.fn) != w {
			return false // a write that changes the field, or two writers
		}
		w = ssax.Origin(a.fn)
	}
	if w == nil || u.write || ast.IsExported(w.Name()) {
		return false
	}
	return st.reachedAfter(ssax.Origin(u.fn), w, 3)
}

// reachedAfter reports whether every call or go statement of fn in the
// package comes after a call of w in its own function, or, depth levels
// up, in a function that is itself reached only that way.
func (st *state) reachedAfter(fn, w *ssa.Function, depth int) bool {
	idx := st.siteIndex()
	sites := idx.sites[fn]
	if idx.escaped[fn] || len(sites) == 0 || ast.IsExported(fn.Name()) && fn.Parent() == nil {
		return false
	}
	for _, site := range sites {
		caller := site.Parent()
		if st.callsBefore(caller, w, site) {
			continue
		}
		if depth == 0 || !st.reachedAfter(ssax.Origin(caller), w, depth-1) {
			return false
		}
	}
	return true
}

// callsBefore reports whether fn calls w, or a function of the package
// that calls w (up to two calls down), on every path to site.
func (st *state) callsBefore(fn, w *ssa.Function, site ssa.Instruction) bool {
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			c, ok := in.(*ssa.Call)
			if !ok || !st.reach.dominates(c, site, false) {
				continue
			}
			if callee := c.Call.StaticCallee(); callee != nil && (ssax.Origin(callee) == w || callsWithin(callee, w, 2)) {
				return true
			}
		}
	}
	return false
}

// callsWithin reports whether fn calls w, directly or through up to
// depth static calls of functions of its package.
func callsWithin(fn, w *ssa.Function, depth int) bool {
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			c, ok := in.(*ssa.Call)
			if !ok {
				continue
			}
			callee := c.Call.StaticCallee()
			if callee == nil || callee.Pkg != fn.Pkg {
				continue
			}
			if ssax.Origin(callee) == w || depth > 0 && callsWithin(callee, w, depth-1) {
				return true
			}
		}
	}
	return false
}
