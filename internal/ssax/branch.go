package ssax

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// A Branch is the if statement that ends a block, seen through the
// negations of its condition. go/ssa already turns "if !x" into an If
// on x with its successors swapped; a negation survives only where the
// negated value was computed first (closing := !c.open; if closing).
type Branch struct {
	If *ssa.If
	// Cond is the tested value with its negations stripped.
	Cond ssa.Value
	// OnTrue and OnFalse are the successors taken when Cond is true and
	// when it is false.
	OnTrue, OnFalse *ssa.BasicBlock
}

// BranchOf returns the branch that ends b; false when b does not end
// in an If.
func BranchOf(b *ssa.BasicBlock) (Branch, bool) {
	if len(b.Instrs) == 0 || len(b.Succs) != 2 {
		return Branch{}, false
	}
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return Branch{}, false
	}
	br := Branch{If: ifi, Cond: ifi.Cond, OnTrue: b.Succs[0], OnFalse: b.Succs[1]}
	for {
		u, ok := br.Cond.(*ssa.UnOp)
		if !ok || u.Op != token.NOT {
			break
		}
		br.Cond = u.X
		br.OnTrue, br.OnFalse = br.OnFalse, br.OnTrue
	}
	return br, true
}

// FieldLoad returns the load and the field address when v loads a
// struct field directly (x.f, as *&x.f); nil otherwise.
func FieldLoad(v ssa.Value) (*ssa.UnOp, *ssa.FieldAddr) {
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return nil, nil
	}
	fa, ok := load.X.(*ssa.FieldAddr)
	if !ok {
		return nil, nil
	}
	return load, fa
}
