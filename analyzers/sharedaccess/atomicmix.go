package sharedaccess

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/passes/goroutines"
)

// checkMixedAtomic reports plain writes to a field that the package
// also reads or writes with sync/atomic: the atomic operations are there
// because other goroutines touch the field at the same time, and a
// plain write races with them. Writes in constructors and
// initialisers, zeroing in teardown methods, writes to objects not yet
// handed to anyone, and (as for guards) writes in helpers that are not
// entry points or that reach the field through another object are not
// reported.
func (st *state) checkMixedAtomic(accs []*faccess) {
	if len(accs) == 0 {
		return
	}
	site := st.atomicSites[accs[0].class]
	if site == nil {
		return
	}
	done := map[*ssa.Function]bool{}
	for _, u := range accs {
		// As for guards: only in functions any goroutine may call, on
		// the object's own fields.
		if !u.write || done[u.fn] || u.elem || st.callerLocked(u.fn) || teardownReset(u) || !u.direct() || !st.entryPoint(u.fn) {
			continue
		}
		if _, ok := u.instr.(*ssa.Store); !ok || testDriver(u.fn) {
			continue
		}
		if !u.shared && !st.escapedBefore(u) {
			continue
		}
		if st.beforeAnyGoroutine(u.instr) || st.startsAtomicUsers(u) {
			continue
		}
		done[u.fn] = true
		msg := fmt.Sprintf("unsynchronized write to %s: %s writes it without sync/atomic, which %s uses on it",
			u.name, funcDisplay(u.fn), funcDisplay(site.Parent()))
		st.report(ssax.ReportPos(u.instr), CatMixed, msg, related(site.Pos(), "accessed atomically here"))
	}
}

// escapedBefore reports whether u writes a field of an object its
// function allocated after handing the object to someone else: stored
// somewhere, sent, started with or captured, on a path before the
// write. An object only lent to calls (a local listener passed to one
// transfer, then reset for the next) is not handed on.
func (st *state) escapedBefore(u *faccess) bool {
	store, ok := u.instr.(*ssa.Store)
	if !ok {
		return false
	}
	fa, ok := store.Addr.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	alloc, ok := fa.X.(*ssa.Alloc)
	if !ok || !alloc.Heap {
		return false
	}
	for _, r := range *alloc.Referrers() {
		escapes := false
		switch r := r.(type) {
		case *ssa.Store:
			escapes = r.Val == alloc
		case *ssa.Call:
			// Lent to a call that has returned by the write: a
			// goroutine it started with the object is the pairing's
			// to judge, which sees the call's joins.
		case *ssa.MakeInterface:
			escapes = !onlyLent(r)
		case ssa.CallInstruction, *ssa.Send, *ssa.MakeClosure, *ssa.MapUpdate:
			escapes = true
		}
		if escapes && r != u.instr && st.reach.after(r, u.instr) {
			return true
		}
	}
	return false
}

// onlyLent reports whether v, an interface made of a local object, is
// only passed to plain calls.
func onlyLent(v ssa.Value) bool {
	for _, r := range *v.Referrers() {
		switch r.(type) {
		case *ssa.Call, *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}

// testDriver reports whether fn is a Test, Benchmark, Example or Fuzz
// function: the testing package runs them one at a time.
func testDriver(fn *ssa.Function) bool {
	if fn.Parent() != nil || fn.Signature.Recv() != nil {
		return false
	}
	for _, p := range []string{"Test", "Benchmark", "Example", "Fuzz"} {
		if strings.HasPrefix(fn.Name(), p) {
			return true
		}
	}
	return false
}

// beforeAnyGoroutine reports whether instr runs in a program's main
// function before any goroutine can exist: no go statement or other
// spawn of main can run before it, and no package initialiser of the
// main package starts one. Its write is set-up, ordered before every
// goroutine by the go statements that follow.
func (st *state) beforeAnyGoroutine(instr ssa.Instruction) bool {
	fn := instr.Parent()
	if st.pass.Pkg.Name() != "main" || fn.Name() != "main" || fn.Signature.Recv() != nil || fn.Parent() != nil {
		return false
	}
	starters := map[*ssa.Function]bool{}
	for _, s := range st.g.Spawns {
		if s.Parent == nil || s.Site == nil {
			return false // a handler or other start not tied to a site
		}
		if s.Parent == fn && ssax.RunsBefore(s.Site, instr) {
			return false
		}
		if s.Parent != fn && strings.HasPrefix(s.Parent.Name(), "init") && s.Parent.Signature.Recv() == nil {
			return false
		}
		starters[s.Parent] = true
	}
	// A call before instr to a function that starts goroutines (or to
	// code out of sight) may have started one.
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			call, ok := in.(ssa.CallInstruction)
			if !ok || in == instr || !ssax.RunsBefore(in, instr) {
				continue
			}
			if callee := call.Common().StaticCallee(); callee != nil && starters[callee] {
				return false
			}
		}
	}
	return true
}

// startsAtomicUsers reports whether the plain write u comes, on every
// path, before the go statements of its function that start every
// goroutine using the field atomically, and those goroutines are the
// only way the atomic accesses run: the counter reset before the workers
// start (p.executionId = 0; go p.worker()).
func (st *state) startsAtomicUsers(u *faccess) bool {
	funcs := st.atomicFuncs[u.class]
	if len(funcs) == 0 || st.g.InLoop(u.instr.Block()) {
		return false // in a loop, the write also follows the last round's starts
	}
	for _, f := range funcs {
		if !st.startedOnlyAfter(f, u, 0) {
			return false
		}
	}
	return true
}

// startedOnlyAfter reports whether fn runs only on goroutines that go
// statements in u's function start after u, directly or through
// unexported callers that run only so.
func (st *state) startedOnlyAfter(fn *ssa.Function, u *faccess, depth int) bool {
	fn = ssax.Origin(fn)
	if depth > 4 || apiEntry(fn) || fn == ssax.Origin(u.fn) {
		return false
	}
	reached := false
	for _, s := range st.g.Spawns {
		if s.Entry == nil || ssax.Origin(s.Entry) != fn {
			continue
		}
		if s.Kind != goroutines.KindGo || s.Site == nil || s.Parent != u.fn || !st.reach.dominates(u.instr, s.Site, false) {
			return false
		}
		reached = true
	}
	callers, known := st.callersOf(fn)
	if !known {
		return false
	}
	for _, c := range callers {
		if !st.startedOnlyAfter(c, u, depth+1) {
			return false
		}
		reached = true
	}
	return reached
}
