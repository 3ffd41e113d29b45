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
	for b := instr.Block(); b != nil; b = b.Idom() {
		test := b.Idom()
		if test == nil || len(test.Instrs) == 0 {
			return false
		}
		ifi, ok := test.Instrs[len(test.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		cmp, ok := ifi.Cond.(*ssa.BinOp)
		if !ok || cmp.Op != token.EQL && cmp.Op != token.NEQ {
			continue
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
	})
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
