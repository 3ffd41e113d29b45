package sharedaccess

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// exclusiveBranches reports whether a and b sit in one function on the
// two sides of a test of a setting: a field of the same object as the
// memory they touch, that nothing writes once the object is made. Every
// goroutine running the function on that object takes the same side,
// so the two accesses never both run on it:
//
//	if s.loadSha1 { s.mu.Lock(); s.sha1 = load(); s.mu.Unlock() } else { use(s.sha1) }
func (st *state) exclusiveBranches(a, b *access) bool {
	fn := a.instr.Parent()
	if fn == nil || b.instr.Parent() != fn {
		return false
	}
	base := accessBase(a.instr)
	if base == nil || accessBase(b.instr) != base {
		return false
	}
	ba, bb := a.instr.Block(), b.instr.Block()
	for d := ba.Idom(); d != nil; d = d.Idom() {
		if len(d.Instrs) == 0 {
			continue
		}
		iff, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok || len(d.Succs) != 2 {
			continue
		}
		t, f := d.Succs[0], d.Succs[1]
		if !(t.Dominates(ba) && f.Dominates(bb) || f.Dominates(ba) && t.Dominates(bb)) {
			continue
		}
		if fld := settingTest(iff.Cond, base); fld != nil && st.setOnlyAtBirth(fld) {
			return true
		}
	}
	return false
}

// accessBase returns the object whose field instr loads or stores.
func accessBase(instr ssa.Instruction) ssa.Value {
	var addr ssa.Value
	switch x := instr.(type) {
	case *ssa.UnOp:
		if x.Op == token.MUL {
			addr = x.X
		}
	case *ssa.Store:
		addr = x.Addr
	}
	if fa, ok := addr.(*ssa.FieldAddr); ok {
		return fa.X
	}
	return nil
}

// settingTest returns the field of base that cond tests (x.f, !x.f,
// x.f == c, x.f != c), or nil.
func settingTest(cond, base ssa.Value) *types.Var {
	if n, ok := cond.(*ssa.UnOp); ok && n.Op == token.NOT {
		cond = n.X
	}
	if c, ok := cond.(*ssa.BinOp); ok && (c.Op == token.EQL || c.Op == token.NEQ) {
		switch {
		case isConst(c.Y):
			cond = c.X
		case isConst(c.X):
			cond = c.Y
		default:
			return nil
		}
	}
	load, ok := cond.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return nil
	}
	fa, ok := load.X.(*ssa.FieldAddr)
	if !ok || fa.X != base {
		return nil
	}
	return ssax.FieldOf(fa)
}

func isConst(v ssa.Value) bool {
	_, ok := v.(*ssa.Const)
	return ok
}

// setOnlyAtBirth reports whether the unexported field f of this package
// is written only while its object is being made: on an object the
// writing function allocated and has not let out yet, or by a
// functional option (a function literal of type func(*T) writing
// through its parameter).
func (st *state) setOnlyAtBirth(f *types.Var) bool {
	if f.Exported() || f.Pkg() != st.pass.Pkg {
		return false
	}
	if v, ok := st.birthFields[f]; ok {
		return v
	}
	v := st.computeSetOnlyAtBirth(f)
	if st.birthFields == nil {
		st.birthFields = map[*types.Var]bool{}
	}
	st.birthFields[f] = v
	return v
}

func (st *state) computeSetOnlyAtBirth(f *types.Var) bool {
	owner := f.Origin()
	for _, fn := range st.ssa.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				s, ok := in.(*ssa.Store)
				if !ok {
					continue
				}
				fa, ok := s.Addr.(*ssa.FieldAddr)
				if ok {
					if ssax.FieldOf(fa) != owner {
						continue
					}
					if obj, ok := fa.X.(*ssa.Alloc); ok && ssax.Unpublished(obj, s) || functionalOption(fn, fa.X) {
						continue
					}
					return false
				}
				// A whole struct stored over an object of the field's
				// type (*p = T{...}) rewrites the field too.
				if st, ok := types.Unalias(s.Val.Type()).Underlying().(*types.Struct); ok && hasField(st, owner) {
					if obj, ok := s.Addr.(*ssa.Alloc); !ok || !ssax.Unpublished(obj, s) {
						return false
					}
				}
			}
		}
	}
	return true
}

func hasField(st *types.Struct, f *types.Var) bool {
	for i := 0; i < st.NumFields(); i++ {
		if st.Field(i).Origin() == f {
			return true
		}
	}
	return false
}

// functionalOption reports whether fn is a function literal with one
// pointer parameter and no results, and base is that parameter: an
// option applied to an object while it is made.
func functionalOption(fn *ssa.Function, base ssa.Value) bool {
	if fn.Parent() == nil || len(fn.Params) != 1 || fn.Signature.Results().Len() != 0 || base != fn.Params[0] {
		return false
	}
	_, ok := types.Unalias(fn.Params[0].Type()).Underlying().(*types.Pointer)
	return ok
}
