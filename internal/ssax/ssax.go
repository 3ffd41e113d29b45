// Package ssax holds small go/ssa helpers that several checks and passes
// share: which variable a channel value was loaded from, which block
// (and edge) a select case runs, which channels a package sends on,
// whether an object a function allocated is still unpublished at an
// instruction, and the one list of standard-library roots (IsStd).
package ssax

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// ChanVar returns the struct field or package variable that the channel
// value v was loaded from (x.done, done), or nil.
func ChanVar(v ssa.Value) types.Object {
	u, ok := v.(*ssa.UnOp)
	if !ok || u.Op != token.MUL {
		return nil
	}
	switch x := u.X.(type) {
	case *ssa.FieldAddr:
		if f := FieldOf(x); f != nil {
			return f
		}
	case *ssa.Global:
		return x.Object()
	}
	return nil
}

// CaseBlock returns the block that runs when case i of sel is chosen:
// the true successor of the test of the select's index against i. It
// reports false when the lowering has no such test (a select with one
// case and no default).
//
// A case with an empty body has no block of its own: the successor is
// where the select's control flow goes on (after the select, or a loop
// header), which other paths reach as well. CaseEdge names the edge.
func CaseBlock(sel *ssa.Select, i int) (*ssa.BasicBlock, bool) {
	_, to, ok := CaseEdge(sel, i)
	return to, ok
}

// CaseEdge returns the edge taken when case i of sel is chosen: the
// block testing the select's index against i, and its true successor.
func CaseEdge(sel *ssa.Select, i int) (from, to *ssa.BasicBlock, ok bool) {
	refs := sel.Referrers()
	if refs == nil {
		return nil, nil, false
	}
	for _, r := range *refs {
		ext, ok := r.(*ssa.Extract)
		if !ok || ext.Index != 0 || ext.Referrers() == nil {
			continue
		}
		for _, r2 := range *ext.Referrers() {
			cmp, ok := r2.(*ssa.BinOp)
			if !ok || cmp.Op != token.EQL || cmp.Referrers() == nil {
				continue
			}
			k, ok := cmp.Y.(*ssa.Const)
			if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
				continue
			}
			if n, exact := constant.Int64Val(k.Value); !exact || n != int64(i) {
				continue
			}
			for _, r3 := range *cmp.Referrers() {
				if ifi, ok := r3.(*ssa.If); ok {
					return ifi.Block(), ifi.Block().Succs[0], true
				}
			}
		}
	}
	return nil, nil, false
}

// SentChannels returns the fields and package variables whose channels
// funcs send on, with a plain send or a select case.
func SentChannels(funcs []*ssa.Function) map[types.Object]bool {
	sent := map[types.Object]bool{}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				switch x := in.(type) {
				case *ssa.Send:
					if o := ChanVar(x.Chan); o != nil {
						sent[o] = true
					}
				case *ssa.Select:
					for _, st := range x.States {
						if st.Dir == types.SendOnly {
							if o := ChanVar(st.Chan); o != nil {
								sent[o] = true
							}
						}
					}
				}
			}
		}
	}
	return sent
}

// SameLocation reports whether x and y are the same value, or loads of,
// field addresses in, or fields selected from the same location computed
// from the same value (s.timer read twice, through the cell of a
// captured s; r.id selected twice from one struct value r).
func SameLocation(x, y ssa.Value) bool { return sameLocation(x, y, 0) }

func sameLocation(x, y ssa.Value, depth int) bool {
	if x == y {
		return true
	}
	if depth > 4 {
		return false
	}
	switch a := x.(type) {
	case *ssa.UnOp:
		b, ok := y.(*ssa.UnOp)
		return ok && a.Op == token.MUL && b.Op == token.MUL && sameLocation(a.X, b.X, depth+1)
	case *ssa.FieldAddr:
		b, ok := y.(*ssa.FieldAddr)
		return ok && a.Field == b.Field && sameLocation(a.X, b.X, depth+1)
	case *ssa.Field:
		b, ok := y.(*ssa.Field)
		return ok && a.Field == b.Field && sameLocation(a.X, b.X, depth+1)
	}
	return false
}

// Origin returns the generic function fn instantiates, or fn itself.
func Origin(fn *ssa.Function) *ssa.Function {
	if o := fn.Origin(); o != nil {
		return o
	}
	return fn
}

// WrappedMethod returns the method that fn, a synthetic wrapper (a bound
// method wrapper for x.M taken as a value, or a thunk for T.M), calls,
// or nil when fn is no such wrapper.
func WrappedMethod(fn *ssa.Function) *ssa.Function {
	if fn == nil || fn.Synthetic == "" || fn.Prog == nil {
		return nil
	}
	obj, ok := fn.Object().(*types.Func)
	if !ok || obj == nil {
		return nil
	}
	return fn.Prog.FuncValue(obj)
}

// FuncOf resolves a function value to the function it denotes, with the
// bindings of a closure, or nil.
func FuncOf(v ssa.Value) (*ssa.Function, []ssa.Value) {
	switch v := v.(type) {
	case *ssa.Function:
		return v, nil
	case *ssa.MakeClosure:
		if f, ok := v.Fn.(*ssa.Function); ok {
			return f, v.Bindings
		}
	case *ssa.ChangeType:
		return FuncOf(v.X)
	case *ssa.MakeInterface:
		return FuncOf(v.X)
	}
	return nil, nil
}

// SyncParent returns the function whose call runs the function literal
// fn to its end on the same goroutine: fn's parent, when the parent only
// calls or defers fn (never starts it with go, stores it or passes it
// on), and so on up; fn itself when it is not such a literal.
func SyncParent(fn *ssa.Function) *ssa.Function {
	for fn.Parent() != nil && onlyCalled(fn) {
		fn = fn.Parent()
	}
	return fn
}

// onlyCalled reports whether every use of the literal fn (or of its
// closure) calls or defers it.
func onlyCalled(fn *ssa.Function) bool {
	refs := fn.Referrers()
	if refs == nil || len(*refs) == 0 {
		return false
	}
	called := func(v ssa.Value, r ssa.Instruction) bool {
		switch c := r.(type) {
		case *ssa.Call:
			return c.Call.Value == v
		case *ssa.Defer:
			return c.Call.Value == v
		case *ssa.DebugRef:
			return true
		}
		return false
	}
	for _, r := range *refs {
		if mc, ok := r.(*ssa.MakeClosure); ok && mc.Fn == fn {
			crefs := mc.Referrers()
			if crefs == nil || len(*crefs) == 0 {
				return false
			}
			for _, cr := range *crefs {
				if !called(mc, cr) {
					return false
				}
			}
			continue
		}
		if !called(fn, r) {
			return false
		}
	}
	return true
}
