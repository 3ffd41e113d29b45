package sharedaccess

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/ssa"
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
		done[u.fn] = true
		msg := fmt.Sprintf("unsynchronized write to %s: %s writes it without sync/atomic, which %s uses on it",
			u.name, funcDisplay(u.fn), funcDisplay(site.Parent()))
		st.report(u.instr.Pos(), CatMixed, msg, related(site.Pos(), "accessed atomically here"))
	}
}

// escapedBefore reports whether u writes a field of an object its
// function allocated after handing the object to someone else: stored
// somewhere, passed to a call, sent, converted to an interface or
// captured, on a path before the write.
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
		case ssa.CallInstruction, *ssa.Send, *ssa.MakeInterface, *ssa.MakeClosure, *ssa.MapUpdate:
			escapes = true
		}
		if escapes && r != u.instr && st.reach.after(r, u.instr) {
			return true
		}
	}
	return false
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
