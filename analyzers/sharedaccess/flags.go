package sharedaccess

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// flagGated reports whether the write w can only happen before the
// access r, by a one-way flag under a lock: w runs only where a test of
// a boolean field (closed, shutdown) found it false, under a lock held
// from the test to the write, and r's function sets that flag to true
// under a lock of the same class on every path before r; nothing in the
// package ever sets it back. Every write then ran in a critical section
// that ended before the one that set the flag, which happens before r:
//
//	func (s *S) init()  { s.mu.Lock(); if !s.closed { s.done = make(chan int) }; s.mu.Unlock() }
//	func (s *S) Close() { s.mu.Lock(); s.closed = true; s.mu.Unlock(); use(s.done) }
func (st *state) flagGated(w, r *access) bool {
	if !w.write || w.instr == nil || r.instr == nil || len(w.locks) == 0 {
		return false
	}
	for _, f := range falseFlagTests(w.instr) {
		if !st.oneWayFlag(f) {
			continue
		}
		for _, in := range []ssa.Instruction{r.instr, r.top} {
			if in != nil && st.setsFlagBefore(f, in, w) {
				return true
			}
		}
	}
	return false
}

// falseFlagTests returns the boolean fields whose test dominates instr
// on the side where the field is false.
func falseFlagTests(instr ssa.Instruction) []*types.Var {
	var out []*types.Var
	fn := instr.Parent()
	for _, b := range fn.Blocks {
		ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		cond, falseSucc := ifi.Cond, b.Succs[1]
		if u, ok := cond.(*ssa.UnOp); ok && u.Op == token.NOT {
			cond, falseSucc = u.X, b.Succs[0]
		}
		load, ok := cond.(*ssa.UnOp)
		if !ok || load.Op != token.MUL {
			continue
		}
		fa, ok := load.X.(*ssa.FieldAddr)
		if !ok || !falseSucc.Dominates(instr.Block()) || len(falseSucc.Preds) != 1 {
			continue
		}
		if f := ssax.FieldOf(fa); f != nil {
			out = append(out, f)
		}
	}
	return out
}

// oneWayFlag reports whether every store to the boolean field f in the
// package stores the constant true.
func (st *state) oneWayFlag(f *types.Var) bool {
	if v, ok := st.flagOneWay[f]; ok {
		return v
	}
	ok := f.Pkg() == st.pass.Pkg && !f.Exported()
	if ok {
		for _, fn := range st.ssa.SrcFuncs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					s, isStore := instr.(*ssa.Store)
					if !isStore {
						continue
					}
					fa, isField := s.Addr.(*ssa.FieldAddr)
					if !isField || ssax.FieldOf(fa) != f {
						continue
					}
					if !isTrueConst(s.Val) {
						ok = false
					}
				}
			}
		}
	}
	st.flagOneWay[f] = ok
	return ok
}

func isTrueConst(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.Value != nil && k.Value.Kind() == constant.Bool && constant.BoolVal(k.Value)
}

// setsFlagBefore reports whether instr's function stores true to flag f,
// holding a lock of a class that w holds, on every path before instr.
func (st *state) setsFlagBefore(f *types.Var, instr ssa.Instruction, w *access) bool {
	fn := instr.Parent()
	fl := st.locks.Func(fn)
	if fl == nil {
		return false
	}
	for _, b := range fn.Blocks {
		for i, in := range b.Instrs {
			s, ok := in.(*ssa.Store)
			if !ok || !isTrueConst(s.Val) {
				continue
			}
			fa, ok := s.Addr.(*ssa.FieldAddr)
			if !ok || ssax.FieldOf(fa) != f {
				continue
			}
			before := b == instr.Block() && i < ssax.IndexOf(instr) || b != instr.Block() && b.Dominates(instr.Block())
			if !before {
				continue
			}
			for _, h := range fl.MustHeld(s) {
				for _, l := range w.locks {
					if h.Class == l.Class && !h.Unknown {
						return true
					}
				}
			}
		}
	}
	return false
}
