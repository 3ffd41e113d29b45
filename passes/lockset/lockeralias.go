package lockset

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/syncapi"
)

// lockerAlias is a struct field of type sync.Locker or *sync.Cond that
// every store in the package fills from a mutex field of the same object:
// x.lk = x.mu.RLocker(), x.cond = sync.NewCond(&x.mu).
type lockerAlias struct {
	field string // the mutex field of the same struct
	owner types.Type
	read  bool
	bad   bool // stores disagree
}

// findLockerAliases scans the stores of the package's functions.
func findLockerAliases(funcs []*ssa.Function) map[*types.Var]*lockerAlias {
	out := map[*types.Var]*lockerAlias{}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				fa, ok := st.Addr.(*ssa.FieldAddr)
				if !ok {
					continue
				}
				node := pointedField(fa.X.Type(), fa.Field)
				if node == nil || !isLockerOrCond(fa.Type().(*types.Pointer).Elem()) {
					continue
				}
				al := aliasOf(fa.X, st.Val)
				prev, seen := out[node]
				switch {
				case !seen && al != nil:
					out[node] = al
				case !seen:
					out[node] = &lockerAlias{bad: true}
				case al == nil || prev.field != al.field || prev.read != al.read:
					prev.bad = true
				}
			}
		}
	}
	return out
}

// isLockerOrCond reports whether t is sync.Locker, sync.Cond or a
// pointer to either.
func isLockerOrCond(t types.Type) bool {
	k := syncapi.TypeOf(t)
	return k == syncapi.Locker || k == syncapi.Cond
}

// aliasOf recognises val, stored into a field of base, as a mutex field
// of base: &base.mu, base.mu.RLocker(), sync.NewCond of either.
func aliasOf(base, val ssa.Value) *lockerAlias {
	for {
		mi, ok := val.(*ssa.MakeInterface)
		if !ok {
			break
		}
		val = mi.X
	}
	read := false
	if c, ok := val.(*ssa.Call); ok {
		if len(c.Call.Args) != 1 {
			return nil
		}
		switch syncapi.Call(&c.Call).Kind {
		case syncapi.NewCond:
			return aliasOf(base, c.Call.Args[0])
		case syncapi.RLocker:
			read = true
			val = c.Call.Args[0]
		default:
			return nil
		}
	}
	fa, ok := val.(*ssa.FieldAddr)
	if !ok || fa.X != base || mutexKind(fa.Type().(*types.Pointer).Elem()) == "" {
		return nil
	}
	st, owner := structOf(fa.X.Type(), true)
	if st == nil {
		return nil
	}
	return &lockerAlias{field: st.Field(fa.Field).Name(), owner: owner, read: read}
}

// lockerTarget resolves a sync.Locker value to the mutex field it
// aliases: x.lk or x.cond.L, loaded from a field with a lockerAlias.
// It returns the struct pointer x and the alias.
func (r *Result) lockerTarget(v ssa.Value) (ssa.Value, *lockerAlias) {
	load, ok := v.(*ssa.UnOp)
	if !ok {
		return nil, nil
	}
	fa, ok := load.X.(*ssa.FieldAddr)
	if !ok {
		return nil, nil
	}
	if syncapi.IsCondL(fa.X.Type(), fa.Field) {
		// c.L of a *sync.Cond c loaded from a field.
		inner, ok := fa.X.(*ssa.UnOp)
		if !ok {
			return nil, nil
		}
		if fa, ok = inner.X.(*ssa.FieldAddr); !ok {
			return nil, nil
		}
	}
	al := r.aliases[pointedField(fa.X.Type(), fa.Field)]
	if al == nil || al.bad {
		return nil, nil
	}
	return fa.X, al
}

// pointedField returns field i (by its generic origin) of the struct
// that ptr points to, or nil.
func pointedField(ptr types.Type, i int) *types.Var {
	st, _ := structOf(ptr, true)
	if st == nil || i >= st.NumFields() {
		return nil
	}
	return st.Field(i).Origin()
}

// CondLock returns the lock that the *sync.Cond value cond of fn waits
// with: for x.cond, where every store into that field makes the Cond of
// a mutex field of x (sync.NewCond(&x.mu)), that field of x; for a Cond
// fn makes itself, the mutex it makes it with. It reports false when the
// Cond's lock is not known.
func (r *Result) CondLock(fn *ssa.Function, cond ssa.Value) (Lock, bool) {
	if r == nil || fn == nil || cond == nil {
		return Lock{}, false
	}
	if c, ok := cond.(*ssa.Call); ok && syncapi.Call(&c.Call).Kind == syncapi.NewCond && len(c.Call.Args) == 1 {
		arg := c.Call.Args[0]
		for {
			mi, ok := arg.(*ssa.MakeInterface)
			if !ok {
				break
			}
			arg = mi.X
		}
		return r.Lookup(fn, arg)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	x, al := r.lockerTarget(cond)
	if al == nil || al.read {
		return Lock{}, false
	}
	var fa *funcAnalysis
	if f := r.Func(fn); f != nil {
		fa = f.fa
	} else {
		fa = newFuncAnalysis(r, fn, -1)
	}
	return fa.lockFromAccess(fa.accessOf(x).withField(al.field, al.owner), "*sync.Mutex", false), true
}

// OpaqueLocker reports whether call is a Lock or Unlock of a
// sync.Locker interface value that names no mutex field of the package
// (the L of a hand-written condition variable, set from a constructor's
// argument): the mutex behind it may be any that the caller holds.
func (r *Result) OpaqueLocker(call ssa.CallInstruction) bool {
	common := call.Common()
	if r == nil || !common.IsInvoke() || syncapi.Call(common).Type != syncapi.Locker {
		return false
	}
	_, al := r.lockerTarget(common.Value)
	return al == nil
}
