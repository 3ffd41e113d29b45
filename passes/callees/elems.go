package callees

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// elemKey names the keys (key true) or the elements of a slice or map
// held in a struct field.
type elemKey struct {
	field *types.Var
	key   bool
}

// findElemTypes fills elemType: for each unexported slice or map field
// of the package whose interface-typed keys or elements the package
// fills with one concrete type only (h.subs[s] = true, h.ws =
// append(h.ws, w) with s and w of one type), that type. A field whose
// container comes from elsewhere (a store of another container, a load
// handed to a call) is left out: others may fill it.
func (d *dynamic) findElemTypes(funcs []*ssa.Function) {
	d.elemType = map[elemKey]types.Type{}
	open := map[*types.Var]bool{}
	note := func(k elemKey, v ssa.Value) {
		if c, ok := v.(*ssa.Const); ok && c.IsNil() {
			return
		}
		t := concreteOf(v)
		switch prev, seen := d.elemType[k]; {
		case t == nil || seen && !types.Identical(prev, t):
			open[k.field] = true
		case !seen:
			d.elemType[k] = t
		}
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case *ssa.MapUpdate:
					f := d.containerField(instr.Map)
					if f == nil {
						continue
					}
					if types.IsInterface(instr.Key.Type()) {
						note(elemKey{f, true}, instr.Key)
					}
					if types.IsInterface(instr.Value.Type()) {
						note(elemKey{f, false}, instr.Value)
					}
				case *ssa.Store:
					if fa, ok := instr.Addr.(*ssa.FieldAddr); ok {
						if f := d.ownField(fa); f != nil && !refills(instr.Val, fa) {
							open[f] = true
						}
						continue
					}
					if !types.IsInterface(instr.Val.Type()) {
						continue
					}
					if ia, ok := instr.Addr.(*ssa.IndexAddr); ok {
						if f := d.containerField(ia.X); f != nil {
							note(elemKey{f, false}, instr.Val)
						} else if f := appendedField(ia); f != nil {
							note(elemKey{f, false}, instr.Val)
						}
					}
				case *ssa.UnOp:
					// A load of the container handed on to anything
					// but the reads and writes above: others may fill it.
					if fa, ok := instr.X.(*ssa.FieldAddr); ok && instr.Op == token.MUL {
						if f := d.ownField(fa); f != nil && !localUse(instr) {
							open[f] = true
						}
					}
				}
			}
		}
	}
	for k := range d.elemType {
		if open[k.field] {
			delete(d.elemType, k)
		}
	}
}

// ownField returns the unexported slice or map field of a struct of the
// package that fa addresses, or nil.
func (d *dynamic) ownField(fa *ssa.FieldAddr) *types.Var {
	f := structField(fa.X.Type(), fa.Field)
	if f == nil || f.Exported() || f.Pkg() != d.pkg {
		return nil
	}
	switch f.Type().Underlying().(type) {
	case *types.Slice, *types.Map:
		return f.Origin()
	}
	return nil
}

// containerField returns the field that v, a container, is loaded from.
func (d *dynamic) containerField(v ssa.Value) *types.Var {
	ld, ok := v.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return nil
	}
	fa, ok := ld.X.(*ssa.FieldAddr)
	if !ok {
		return nil
	}
	return d.ownField(fa)
}

// refills reports whether v, stored into the container field fa, is a
// new empty container, nil, or the field's own container grown or cut
// (append(x.f, ...), x.f[i:j]).
func refills(v ssa.Value, fa *ssa.FieldAddr) bool {
	switch v := v.(type) {
	case *ssa.Const:
		return v.IsNil()
	case *ssa.MakeMap:
		return true
	case *ssa.MakeSlice:
		return true
	case *ssa.Slice:
		return sameField(v.X, fa)
	case *ssa.Call:
		if b, ok := v.Call.Value.(*ssa.Builtin); ok && b.Name() == "append" && len(v.Call.Args) > 0 {
			return sameField(v.Call.Args[0], fa)
		}
	}
	return false
}

// sameField reports whether v is a load of the same field as fa.
func sameField(v ssa.Value, fa *ssa.FieldAddr) bool {
	ld, ok := v.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return false
	}
	fb, ok := ld.X.(*ssa.FieldAddr)
	return ok && fb.Field == fa.Field && types.Identical(fb.X.Type(), fa.X.Type())
}

// localUse reports whether a load of a container field is used only to
// read or write its elements, or to grow it back into the field.
func localUse(ld *ssa.UnOp) bool {
	refs := ld.Referrers()
	if refs == nil {
		return true
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.Lookup, *ssa.MapUpdate, *ssa.Range, *ssa.IndexAddr, *ssa.Index, *ssa.Slice, *ssa.DebugRef, *ssa.BinOp:
		case *ssa.Call:
			b, ok := r.Call.Value.(*ssa.Builtin)
			if !ok {
				return false
			}
			switch b.Name() {
			case "len", "cap", "delete", "clear":
			case "append":
				if r.Call.Args[0] != ld {
					return false
				}
			default:
				return false
			}
		default:
			return false
		}
	}
	return true
}

// appendedField returns the field that an append of the variadic array
// that ia indexes is stored back into (x.f = append(x.f, v)).
func appendedField(ia *ssa.IndexAddr) *types.Var {
	n, ok := elemStore(ia)
	if !ok || ia.X == nil {
		return nil
	}
	if _, isArr := ia.X.(*ssa.Alloc); !isArr {
		return nil
	}
	if n.field == nil || n.field.Exported() {
		return nil
	}
	return n.field
}

// elemKnownType returns the concrete type of an interface value read
// from a container field's keys or elements (see findElemTypes).
func (d *dynamic) elemKnownType(v ssa.Value) types.Type {
	switch v := v.(type) {
	case *ssa.Extract:
		switch t := v.Tuple.(type) {
		case *ssa.Next:
			rng, ok := t.Iter.(*ssa.Range)
			if !ok || t.IsString || v.Index == 0 {
				return nil
			}
			if f := d.containerField(rng.X); f != nil {
				return d.elemType[elemKey{f, v.Index == 1}]
			}
		case *ssa.Lookup:
			if f := d.containerField(t.X); f != nil && v.Index == 0 {
				return d.elemType[elemKey{f, false}]
			}
		}
	case *ssa.Lookup:
		if f := d.containerField(v.X); f != nil {
			return d.elemType[elemKey{f, false}]
		}
	case *ssa.UnOp:
		if ia, ok := v.X.(*ssa.IndexAddr); ok && v.Op == token.MUL {
			if f := d.containerField(ia.X); f != nil {
				return d.elemType[elemKey{f, false}]
			}
		}
	}
	return nil
}
