package blocking

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// tokenReturn reports a send on a channel field used as a counting
// semaphore that starts full: its make (of capacity n) is filled by a
// loop of n sends where it is made (for i := 0; i < n; i++ { s.ch <-
// struct{}{} }), and the package receives from it (takes a token). A
// send gives back a token that was taken, so the buffer has room for
// it: it does not block. (Sending more tokens than were taken is a bug
// this gives up on.)
func (a *analyzer) tokenReturn(send *ssa.Send) bool {
	key := fieldKey(send.Chan)
	if key == nil || key.owner.Obj().Pkg() != a.pass.Pkg {
		return false
	}
	if a.semaphores == nil {
		a.semaphores = a.scanSemaphores()
	}
	return a.semaphores[*key]
}

// scanSemaphores finds the channel fields that a function of the package
// makes and fills to their capacity in a counting loop, and that the
// package also receives from (the package index's field stores and
// loads).
func (a *analyzer) scanSemaphores() map[fieldRef]bool {
	ix := a.index()
	out := map[fieldRef]bool{}
	for k, stores := range ix.fieldStore {
		filled := false
		for _, st := range stores {
			if mk, ok := st.Val.(*ssa.MakeChan); ok && fillLoop(st.Parent(), mk, k) {
				filled = true
				break
			}
		}
		if filled && receivedFrom(ix.fieldLoads[k]) {
			out[k] = true
		}
	}
	return out
}

// receivedFrom reports whether some load of a channel field is received
// from, by a plain receive or a case of a select.
func receivedFrom(loads []*ssa.UnOp) bool {
	for _, ld := range loads {
		for _, r := range *ld.Referrers() {
			switch r := r.(type) {
			case *ssa.UnOp:
				if r.Op == token.ARROW {
					return true
				}
			case *ssa.Select:
				for _, st := range r.States {
					if st.Dir == types.RecvOnly && st.Chan == ld {
						return true
					}
				}
			}
		}
	}
	return false
}

// fillLoop reports whether fn sends on the field key (or on mk itself)
// inside a loop that counts from 0 by 1 while below the make's size
// (the same value, or a load of the same location).
func fillLoop(fn *ssa.Function, mk *ssa.MakeChan, key fieldRef) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			s, ok := instr.(*ssa.Send)
			if !ok {
				continue
			}
			if k := fieldKey(s.Chan); (k == nil || *k != key) && ssax.Unwrap(s.Chan, ssax.WrapChangeType) != mk {
				continue
			}
			if countsTo(s.Block(), mk.Size) {
				return true
			}
		}
	}
	return false
}

// countsTo reports whether b sits in a loop whose header tests i < n
// for a counter i from 0 by 1, n being size (or a load of the same
// location, through conversions).
func countsTo(b *ssa.BasicBlock, size ssa.Value) bool {
	for h := b; h != nil; h = h.Idom() {
		if len(h.Instrs) == 0 {
			continue
		}
		ifi, ok := h.Instrs[len(h.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		cmp, ok := ifi.Cond.(*ssa.BinOp)
		if !ok || cmp.Op != token.LSS {
			continue
		}
		phi, ok := cmp.X.(*ssa.Phi)
		if !ok || phi.Block() != h || !counter(phi) {
			continue
		}
		if sameBound(cmp.Y, size) {
			return true
		}
	}
	return false
}

// counter reports whether phi starts at 0 and steps by 1.
func counter(phi *ssa.Phi) bool {
	zero, step := false, false
	for _, e := range phi.Edges {
		switch e := e.(type) {
		case *ssa.Const:
			if e.Value != nil && e.Value.Kind() == constant.Int && constant.Sign(e.Value) == 0 {
				zero = true
			}
		case *ssa.BinOp:
			if k, ok := e.Y.(*ssa.Const); ok && e.Op == token.ADD && e.X == phi && k.Value != nil && k.Value.Kind() == constant.Int {
				if v, exact := constant.Int64Val(k.Value); exact && v == 1 {
					step = true
				}
			}
		}
	}
	return zero && step
}

// sameBound reports whether x and y are one value or loads of one
// location, through conversions.
func sameBound(x, y ssa.Value) bool {
	unconv := func(v ssa.Value) ssa.Value {
		for i := 0; i < 4; i++ {
			c, ok := v.(*ssa.Convert)
			if !ok {
				return v
			}
			v = c.X
		}
		return v
	}
	x, y = unconv(x), unconv(y)
	if x == y {
		return true
	}
	if k1, ok := x.(*ssa.Const); ok {
		if k2, ok := y.(*ssa.Const); ok && k1.Value != nil && k2.Value != nil {
			return constant.Compare(k1.Value, token.EQL, k2.Value)
		}
	}
	return ssax.SameLocation(x, y)
}
