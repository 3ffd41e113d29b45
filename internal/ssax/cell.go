package ssax

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// SoleStore returns the one value ever stored into the local cell alloc:
// the cell is stored exactly once, its address goes nowhere but into
// loads and the closures that capture it, and those closures only load
// it. A parameter or a channel captured by a closure is spilled to such
// a cell, so loads of the cell stand for the value. It returns nil for
// any other cell.
func SoleStore(alloc *ssa.Alloc) ssa.Value {
	vals, ok := Stores(alloc)
	if !ok || len(vals) != 1 {
		return nil
	}
	return vals[0]
}

// Stores returns the values stored into the local cell alloc, when its
// address goes nowhere but into those stores, loads and the closures
// that capture it and only load it. A variable declared without a value
// and never assigned has none: it holds its zero value.
func Stores(alloc *ssa.Alloc) ([]ssa.Value, bool) {
	var vals []ssa.Value
	refs := alloc.Referrers()
	if refs == nil {
		return nil, false
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr != alloc {
				return nil, false
			}
			vals = append(vals, r.Val)
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return nil, false
			}
		case *ssa.MakeClosure:
			fn, ok := r.Fn.(*ssa.Function)
			if !ok {
				return nil, false
			}
			for i, b := range r.Bindings {
				if b != alloc {
					continue
				}
				if i >= len(fn.FreeVars) || !onlyLoaded(fn.FreeVars[i]) {
					return nil, false
				}
			}
		case *ssa.DebugRef:
		default:
			return nil, false
		}
	}
	return vals, true
}

// onlyLoaded reports whether the captured cell fv is only loaded in its
// closure (and in the closures that capture it in turn).
func onlyLoaded(fv *ssa.FreeVar) bool {
	refs := fv.Referrers()
	if refs == nil {
		return true
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return false
			}
		case *ssa.MakeClosure:
			fn, ok := r.Fn.(*ssa.Function)
			if !ok {
				return false
			}
			for i, b := range r.Bindings {
				if b == fv && (i >= len(fn.FreeVars) || !onlyLoaded(fn.FreeVars[i])) {
					return false
				}
			}
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}

// Captured returns the value that the free variable fv is bound to when
// its function literal is made in exactly one place, or nil. A variable
// that the literal and its maker never assign after capture is bound by
// value, so this is the variable's value itself (a channel never made
// is the nil constant).
func Captured(fv *ssa.FreeVar) ssa.Value {
	fn := fv.Parent()
	refs := fn.Referrers()
	if refs == nil {
		return nil
	}
	idx := -1
	for i, f := range fn.FreeVars {
		if f == fv {
			idx = i
		}
	}
	var bound ssa.Value
	for _, r := range *refs {
		mc, ok := r.(*ssa.MakeClosure)
		if !ok || mc.Fn != fn || idx < 0 || idx >= len(mc.Bindings) || bound != nil {
			return nil
		}
		bound = mc.Bindings[idx]
	}
	return bound
}

// LoadedCell returns the local cell that v loads: an Alloc read
// directly, or through a function literal's free variable bound to it
// (Captured). It returns nil for any other value.
func LoadedCell(v ssa.Value) *ssa.Alloc {
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return nil
	}
	switch x := load.X.(type) {
	case *ssa.Alloc:
		return x
	case *ssa.FreeVar:
		cell, _ := Captured(x).(*ssa.Alloc)
		return cell
	}
	return nil
}

// CellStores returns the stores into the cell itself.
func CellStores(cell *ssa.Alloc) []*ssa.Store {
	var out []*ssa.Store
	for _, r := range *cell.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == cell {
			out = append(out, st)
		}
	}
	return out
}

// Unspill returns the value stored in the local cell that v loads, when
// the cell is stored once (a variable captured by a closure and never
// assigned again: w := &T{}; go func() { w.run() }()), or v itself.
func Unspill(v ssa.Value) ssa.Value {
	cell := LoadedCell(v)
	if cell == nil {
		return v
	}
	if stores := CellStores(cell); len(stores) == 1 {
		return stores[0].Val
	}
	return v
}
