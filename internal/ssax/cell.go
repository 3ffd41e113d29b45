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
	var val ssa.Value
	refs := alloc.Referrers()
	if refs == nil {
		return nil
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr != alloc || val != nil {
				return nil
			}
			val = r.Val
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return nil
			}
		case *ssa.MakeClosure:
			fn, ok := r.Fn.(*ssa.Function)
			if !ok {
				return nil
			}
			for i, b := range r.Bindings {
				if b != alloc {
					continue
				}
				if i >= len(fn.FreeVars) || !onlyLoaded(fn.FreeVars[i]) {
					return nil
				}
			}
		case *ssa.DebugRef:
		default:
			return nil
		}
	}
	return val
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
