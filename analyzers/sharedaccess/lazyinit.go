package sharedaccess

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// nilTests calls f for each test of a loaded location against nil that
// decides a branch on the way to instr (walking up its dominators): the
// block b on instr's side of the branch, the testing block, the load,
// and whether b is the branch taken when the location is nil. It stops
// when f returns true, and reports whether f did.
func nilTests(instr ssa.Instruction, f func(b, test *ssa.BasicBlock, ld *ssa.UnOp, onNil bool) bool) bool {
	return branchesAbove(instr.Block(), func(b, test *ssa.BasicBlock, ifi *ssa.If) bool {
		cmp, ok := ifi.Cond.(*ssa.BinOp)
		if !ok || cmp.Op != token.EQL && cmp.Op != token.NEQ {
			return false
		}
		nilSucc := test.Succs[0]
		if cmp.Op == token.NEQ {
			nilSucc = test.Succs[1]
		}
		for i, side := range []ssa.Value{cmp.X, cmp.Y} {
			other := []ssa.Value{cmp.Y, cmp.X}[i]
			if c, ok := other.(*ssa.Const); !ok || !c.IsNil() {
				continue
			}
			if ld, ok := side.(*ssa.UnOp); ok && ld.Op == token.MUL && f(b, test, ld, b == nilSucc) {
				return true
			}
		}
		return false
	})
}

// branchesAbove calls f for each If that decides a branch on the way
// to block from (walking up its dominators): the block b on from's side
// of the branch, the testing block and its If. It stops when f returns
// true, and reports whether f did.
func branchesAbove(from *ssa.BasicBlock, f func(b, test *ssa.BasicBlock, ifi *ssa.If) bool) bool {
	for b := from; b != nil; b = b.Idom() {
		test := b.Idom()
		if test == nil || len(test.Instrs) == 0 {
			return false
		}
		if ifi, ok := test.Instrs[len(test.Instrs)-1].(*ssa.If); ok && f(b, test, ifi) {
			return true
		}
	}
	return false
}

// nilChecked reports whether instr runs only where the location at addr
// was found nil (if t.m == nil { ...instr... }): filling in a value the
// function has just made.
func nilChecked(instr ssa.Instruction, addr ssa.Value) bool {
	return nilTests(instr, func(b, _ *ssa.BasicBlock, ld *ssa.UnOp, onNil bool) bool {
		return onNil && len(b.Preds) == 1 && sameAddr(ld.X, addr)
	})
}

// lazyInit reports whether instr stores to a location only after
// checking that its current value is nil (or zero): if x == nil { x = ... }.
func lazyInit(instr ssa.Instruction) bool {
	st, ok := instr.(*ssa.Store)
	if !ok {
		return false
	}
	return nilTests(instr, func(_, test *ssa.BasicBlock, ld *ssa.UnOp, _ bool) bool {
		return sameAddr(ld.X, st.Addr) || groupInit(ld.X, st, test)
	}) || predicateInit(st)
}

// predicateInit reports whether st stores into a field of an object
// after a branch on a predicate method of the object that only tests
// fields against nil, this one among them (if s.running() { return };
// s.done = make(...), where running is s.done != nil && s.quit != nil):
// a lazy set-up written through a helper.
func predicateInit(st *ssa.Store) bool {
	fa, ok := st.Addr.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	return branchesAbove(st.Block(), func(b, test *ssa.BasicBlock, ifi *ssa.If) bool {
		call, ok := ifi.Cond.(*ssa.Call)
		if !ok || len(call.Call.Args) != 1 || call.Call.Args[0] != fa.X {
			return false
		}
		g := call.Call.StaticCallee()
		if g == nil {
			return false
		}
		fields, nilOnTrue := nilPredicateFields(g)
		// The branch on which some tested field is nil.
		side := test.Succs[1]
		if nilOnTrue {
			side = test.Succs[0]
		}
		return fields[fa.Field] && b == side && len(b.Preds) == 1
	})
}

// nilPredicateFields returns the fields of its one parameter that g, a
// function of one parameter and a boolean result, compares with nil,
// when that is all it does (loads of the parameter's fields, nil
// comparisons and the branches and phis that combine them); else nil.
// nilOnTrue reports comparisons with == (a true result says a field is
// nil); with != a false result says so. Mixed ones give nil.
func nilPredicateFields(g *ssa.Function) (fields map[int]bool, nilOnTrue bool) {
	if len(g.Params) != 1 || len(g.Blocks) == 0 || g.Signature.Results().Len() != 1 {
		return nil, false
	}
	eq, ne := false, false
	p := g.Params[0]
	fields = map[int]bool{}
	for _, b := range g.Blocks {
		for _, in := range b.Instrs {
			switch x := in.(type) {
			case *ssa.FieldAddr:
				if x.X != p {
					return nil, false
				}
			case *ssa.UnOp:
				if _, ok := x.X.(*ssa.FieldAddr); !ok || x.Op != token.MUL {
					return nil, false
				}
			case *ssa.BinOp:
				ld, ok := x.X.(*ssa.UnOp)
				k, isConst := x.Y.(*ssa.Const)
				if !ok || !isConst || !k.IsNil() || x.Op != token.EQL && x.Op != token.NEQ {
					return nil, false
				}
				eq, ne = eq || x.Op == token.EQL, ne || x.Op == token.NEQ
				fields[ld.X.(*ssa.FieldAddr).Field] = true
			case *ssa.Phi, *ssa.If, *ssa.Jump, *ssa.Return, *ssa.DebugRef:
			default:
				return nil, false
			}
		}
	}
	if eq == ne {
		return nil, false
	}
	return fields, eq
}

// groupInit reports whether st, guarded by the nil test at the end of
// block test of checked (another field of the same object), belongs to
// the initialisation of a group of fields: the guarded branch that st
// sits in also stores the checked field (if t.dead == nil { t.dead =
// make(...); t.dying = make(...) }).
func groupInit(checked ssa.Value, st *ssa.Store, test *ssa.BasicBlock) bool {
	fc, ok1 := checked.(*ssa.FieldAddr)
	fs, ok2 := st.Addr.(*ssa.FieldAddr)
	if !ok1 || !ok2 || !sameAddr(fc.X, fs.X) {
		return false
	}
	var branch *ssa.BasicBlock
	for _, succ := range test.Succs {
		if succ.Dominates(st.Block()) {
			branch = succ
		}
	}
	if branch == nil {
		return false
	}
	for _, b := range st.Parent().Blocks {
		if !branch.Dominates(b) {
			continue
		}
		for _, in := range b.Instrs {
			if s2, ok := in.(*ssa.Store); ok && sameAddr(s2.Addr, checked) {
				return true
			}
		}
	}
	return false
}

// sameAddr reports whether two address expressions are syntactically
// the same field or variable.
func sameAddr(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	fa, ok1 := a.(*ssa.FieldAddr)
	fb, ok2 := b.(*ssa.FieldAddr)
	if ok1 && ok2 && fa.Field == fb.Field {
		return sameAddr(fa.X, fb.X)
	}
	la, ok1 := a.(*ssa.UnOp)
	lb, ok2 := b.(*ssa.UnOp)
	if ok1 && ok2 && la.Op == lb.Op {
		return sameAddr(la.X, lb.X)
	}
	return false
}
