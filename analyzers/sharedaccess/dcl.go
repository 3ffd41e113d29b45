package sharedaccess

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/passes/lockset"
)

// checkDoubleChecked reports double-checked locking: a function that
// tests a variable or field without a lock (nil, or a done flag still
// false), then takes a lock, tests it again and sets it. The first test
// races with the write of another call, and seeing the variable set does
// not order what the writer did before setting it (the Go memory
// model's own example of an incorrect idiom). sync.Once, or an atomic
// load for the first test, is the fix.
//
//	if instance == nil { // read without mu
//		mu.Lock()
//		if instance == nil {
//			instance = newConfig()
//		}
//		mu.Unlock()
//	}
func (st *state) checkDoubleChecked() {
	for _, fn := range st.ssa.SrcFuncs {
		fl := st.locks.Func(fn)
		if fl == nil {
			continue
		}
		for _, b := range fn.Blocks {
			outer, unset, ok := unsetTest(b)
			if !ok || len(namedLocks(fl.MustHeld(outer))) > 0 {
				continue
			}
			store, lock := st.lockedRecheck(fn, fl, outer, unset)
			if store == nil {
				continue
			}
			name := st.locName(outer)
			st.dcl[outer] = true
			st.report(outer.Pos(), CatDoubleChecked,
				fmt.Sprintf("double-checked locking: %s reads %s without %s before it locks %s to set it; the read races with the write of another call, and seeing it set does not order what came before the write (use sync.Once, or sync/atomic for the first read)",
					funcDisplay(fn), name, lock.Name, lock.Name),
				related(store.Pos(), fmt.Sprintf("writes %s here holding %s", name, lock.Name)))
		}
	}
}

// unsetTest returns the load that b's branch tests (v == nil, v != nil,
// !v or v for a boolean) and the successor taken when the variable is
// not set yet.
func unsetTest(b *ssa.BasicBlock) (*ssa.UnOp, *ssa.BasicBlock, bool) {
	br, ok := ssax.BranchOf(b)
	if !ok {
		return nil, nil, false
	}
	cond, unset := br.Cond, br.OnFalse // if v: unset when false
	if bin, ok := cond.(*ssa.BinOp); ok && (bin.Op == token.EQL || bin.Op == token.NEQ) {
		var other ssa.Value
		switch {
		case isNil(bin.Y):
			cond, other = bin.X, bin.Y
		case isNil(bin.X):
			cond, other = bin.Y, bin.X
		}
		if other == nil {
			return nil, nil, false
		}
		unset = br.OnTrue // v == nil
		if bin.Op == token.NEQ {
			unset = br.OnFalse
		}
	}
	load, ok := cond.(*ssa.UnOp)
	if !ok || load.Op != token.MUL || location(load) == nil {
		return nil, nil, false
	}
	return load, unset, true
}

// isNil reports whether v is the constant nil.
func isNil(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.IsNil()
}

// location returns what the load reads: a package variable, or a
// field address; nil for anything else.
func location(load *ssa.UnOp) ssa.Value {
	switch x := load.X.(type) {
	case *ssa.Global:
		return x
	case *ssa.FieldAddr:
		return x
	}
	return nil
}

// sameLocation reports whether two loads read the same variable, or the
// same field of the same object.
func sameLocation(a, b *ssa.UnOp) bool {
	return sameAddr(location(a), location(b))
}

// lockedRecheck looks, where outer found the variable unset, for a
// second test of it under a lock and a store to it where that test
// finds it unset, under the same lock.
func (st *state) lockedRecheck(fn *ssa.Function, fl *lockset.FuncLocks, outer *ssa.UnOp, unset *ssa.BasicBlock) (*ssa.Store, *lockset.Lock) {
	if len(unset.Preds) != 1 {
		return nil, nil
	}
	for _, b := range fn.Blocks {
		if !unset.Dominates(b) {
			continue
		}
		inner, innerUnset, ok := unsetTest(b)
		if !ok || inner == outer || !sameLocation(outer, inner) || len(innerUnset.Preds) != 1 {
			continue
		}
		held := namedLocks(fl.MustHeld(inner))
		if len(held) == 0 {
			continue
		}
		for _, c := range fn.Blocks {
			if !innerUnset.Dominates(c) {
				continue
			}
			for _, in := range c.Instrs {
				s, ok := in.(*ssa.Store)
				if !ok {
					continue
				}
				if !sameAddr(s.Addr, location(outer)) {
					continue
				}
				for _, h := range namedLocks(fl.MustHeld(s)) {
					for _, l := range held {
						if h.Class == l.Class {
							return s, &l
						}
					}
				}
			}
		}
	}
	return nil, nil
}

// namedLocks returns the locks of l that name a mutex: not the anonymous
// or unknown ones.
func namedLocks(l []lockset.Lock) []lockset.Lock {
	var out []lockset.Lock
	for _, x := range l {
		if !x.Anonymous() && !x.Unknown {
			out = append(out, x)
		}
	}
	return out
}

// locName names the variable or field that load reads, in Go syntax.
func (st *state) locName(load *ssa.UnOp) string {
	if a := st.describe(load.Parent(), location(load), false, false); a != nil && a.name != "" {
		return a.name
	}
	if g, ok := location(load).(*ssa.Global); ok {
		return g.Name()
	}
	return "the variable"
}
