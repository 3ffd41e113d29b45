package blocking

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// pendingSlot reports a send on a waiter's reply channel kept in a map
// entry that the sending function takes out of the map (pending[id] or
// for id, w := range pending, then delete(pending, id)) or in an element
// of a slice field that it assigns anew (a list dequeued or dropped:
// takenFromSlice), when the
// channel is held in an unexported field of a struct of the package
// that every store fills with a fresh channel of constant buffer one or
// more, and every send on that field's channels in the package is such
// a send: the entry leaves the map with its one reply, so the reply's
// slot is free.
//
//	w := waiter{ch: make(chan error, 1)}
//	p.pending[id] = w
//	...
//	if w, ok := p.pending[id]; ok {
//		w.ch <- err
//		delete(p.pending, id)
//	}
func (a *analyzer) pendingSlot(fn *ssa.Function, send *ssa.Send) bool {
	v := ssax.Unwrap(send.Chan, ssax.WrapChangeType)
	f, entry := chanField(v)
	if f == nil || f.Exported() || f.Pkg() != a.pass.Pkg {
		return false
	}
	if !takenOut(fn, entry) {
		return false
	}
	if a.slotFields == nil {
		a.slotFields = map[*types.Var]bool{}
	}
	ok, seen := a.slotFields[f]
	if !seen {
		ok = a.scanSlotField(f)
		a.slotFields[f] = ok
	}
	return ok
}

// chanField returns the field a channel value is read from (e.ch of a
// struct value, or *(&e.ch)), and the value it is read from.
func chanField(v ssa.Value) (*types.Var, ssa.Value) {
	switch x := v.(type) {
	case *ssa.Field:
		return ssax.StructField(x.X.Type(), x.Field), x.X
	case *ssa.UnOp:
		if fa, ok := x.X.(*ssa.FieldAddr); ok && x.Op == token.MUL {
			base := fa.X
			if al, ok := base.(*ssa.Alloc); ok && !al.Heap {
				// A local copy of the entry (w, ok := m[k]; w.ch).
				if v := copiedOnce(al); v != nil {
					base = v
				}
			}
			return ssax.FieldOf(fa), base
		}
	}
	return nil, nil
}

// scanSlotField reports whether every store into field f in the package
// is a fresh channel of constant buffer one or more, and every send on
// a channel read from f is a pendingSlot send (the entry taken out of
// its map by the sending function).
func (a *analyzer) scanSlotField(f *types.Var) bool {
	stores := 0
	for _, fn := range a.fns {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.Store:
					fa, ok := x.Addr.(*ssa.FieldAddr)
					if !ok || ssax.FieldOf(fa) != f {
						continue
					}
					if k, ok := x.Val.(*ssa.Const); ok && k.IsNil() {
						continue
					}
					mk, ok := x.Val.(*ssa.MakeChan)
					if !ok || !constBuffered(mk) {
						return false
					}
					stores++
				case *ssa.Send:
					if g, entry := chanField(ssax.Unwrap(x.Chan, ssax.WrapChangeType)); g == f && !takenOut(fn, entry) {
						return false
					}
				case *ssa.Select:
					for _, st := range x.States {
						if g, _ := chanField(ssax.Unwrap(st.Chan, ssax.WrapChangeType)); g == f && st.Dir == types.SendOnly {
							return false
						}
					}
				}
			}
		}
	}
	return stores > 0
}

// takenOut reports whether fn takes the entry v out of the container it
// reads it from: a map entry deleted (takenFromMap, rangeDeleted), or a
// slice element whose field fn assigns anew (takenFromSlice).
func takenOut(fn *ssa.Function, v ssa.Value) bool {
	return takenFromMap(fn, v) || rangeDeleted(fn, v) || takenFromSlice(fn, v)
}

// takenFromSlice reports whether v is an element of a slice read from a
// field that fn also assigns: the waiters' list dequeued (w :=
// q.waiters[0]; q.waiters = q.waiters[1:]) or dropped after a range
// over it (for _, w := range q.waiters { ... }; q.waiters = nil).
func takenFromSlice(fn *ssa.Function, v ssa.Value) bool {
	ld, ok := v.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return false
	}
	ia, ok := ld.X.(*ssa.IndexAddr)
	if !ok {
		return false
	}
	if _, isSlice := ia.X.Type().Underlying().(*types.Slice); !isSlice {
		return false
	}
	sl, ok := ia.X.(*ssa.UnOp)
	if !ok || sl.Op != token.MUL {
		return false
	}
	fa, ok := sl.X.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	f := ssax.FieldOf(fa)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			if fa2, ok := st.Addr.(*ssa.FieldAddr); ok && ssax.FieldOf(fa2) == f && ssax.SameLocation(fa2.X, fa.X) {
				return true
			}
		}
	}
	return false
}

// rangeDeleted reports whether v is the value of a range over a map
// whose loop body deletes the entry's key from the same map (for k, w
// := range m { ...; delete(m, k) }).
func rangeDeleted(fn *ssa.Function, v ssa.Value) bool {
	x, ok := v.(*ssa.Extract)
	if !ok || x.Index != 2 {
		return false
	}
	next, ok := x.Tuple.(*ssa.Next)
	if !ok || next.IsString {
		return false
	}
	rng, ok := next.Iter.(*ssa.Range)
	if !ok {
		return false
	}
	return deletes(fn, func(m, k ssa.Value) bool {
		key, ok := k.(*ssa.Extract)
		return ok && key.Tuple == next && key.Index == 1 && sameMap(m, rng.X)
	})
}

// copiedOnce returns the value a local struct variable is assigned once
// and then only read through (w, ok := m[k] kept in a local: its fields
// are read through their addresses), or nil.
func copiedOnce(al *ssa.Alloc) ssa.Value {
	var val ssa.Value
	for _, r := range *al.Referrers() {
		switch x := r.(type) {
		case *ssa.Store:
			if x.Addr != al || val != nil {
				return nil
			}
			val = x.Val
		case *ssa.FieldAddr:
			for _, fr := range *x.Referrers() {
				if ld, ok := fr.(*ssa.UnOp); !ok || ld.Op != token.MUL {
					if _, dbg := fr.(*ssa.DebugRef); !dbg {
						return nil
					}
				}
			}
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return nil
			}
		case *ssa.DebugRef:
		default:
			return nil
		}
	}
	return val
}
