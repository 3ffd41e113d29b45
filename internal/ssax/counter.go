package ssax

import (
	"go/constant"
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// CounterPhi returns the phi of the loop counter when v takes every
// index from 0 up by one: the counter itself, starting at 0 (for i :=
// 0; ...; i++), or the counter plus one, starting at -1 (the index of a
// range over a slice or array). Else nil.
func CounterPhi(v ssa.Value) *ssa.Phi {
	step := func(x ssa.Value, phi *ssa.Phi) bool {
		add, ok := x.(*ssa.BinOp)
		if !ok || add.Op != token.ADD || add.X != phi {
			return false
		}
		c, ok := add.Y.(*ssa.Const)
		if !ok || c.Value == nil || c.Value.Kind() != constant.Int {
			return false
		}
		n, exact := constant.Int64Val(c.Value)
		return exact && n == 1
	}
	// startsAt reports whether phi is a counter with initial value n:
	// one edge the constant, every other edge phi+1.
	startsAt := func(phi *ssa.Phi, n int64) bool {
		init := false
		for _, e := range phi.Edges {
			if c, ok := e.(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.Int {
				if v, ok := constant.Int64Val(c.Value); ok && v == n {
					init = true
					continue
				}
				return false
			}
			if !step(e, phi) {
				return false
			}
		}
		return init
	}
	switch v := v.(type) {
	case *ssa.Phi:
		if startsAt(v, 0) {
			return v
		}
	case *ssa.BinOp:
		// range: phi [-1, t+1]; the element index is phi+1.
		if phi, ok := v.X.(*ssa.Phi); ok && step(v, phi) && startsAt(phi, -1) {
			return phi
		}
	}
	return nil
}
