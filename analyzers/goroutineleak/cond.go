package goroutineleak

import (
	"fmt"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
)

// CatCond is the category of a Cond.Wait that nothing can wake.
const CatCond = "cond"

// condVars is what the package does with the condition variables it
// keeps in unexported fields and package variables.
type condVars struct {
	waits    map[types.Object][]ssa.CallInstruction
	signaled map[types.Object]bool
	escapes  map[types.Object]bool // used beyond Wait, Signal, Broadcast and L
}

// checkConds reports a Cond.Wait on a condition variable, held in an
// unexported field or package variable, that no code of the package
// signals or broadcasts: only code of this package can reach it, and
// none of it wakes the waiter.
func (c *checker) checkConds(funcs []*ssa.Function) {
	cv := condVars{
		waits:    map[types.Object][]ssa.CallInstruction{},
		signaled: map[types.Object]bool{},
		escapes:  map[types.Object]bool{},
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				cv.visit(in)
			}
		}
	}
	var keys []types.Object
	for k := range cv.waits {
		keys = append(keys, k)
	}
	sortObjects(keys)
	for _, k := range keys {
		if cv.signaled[k] || cv.escapes[k] || k.Exported() {
			continue
		}
		w := cv.waits[k][0]
		c.pass.Report(analysis.Diagnostic{
			Pos:      w.Pos(),
			Category: CatCond,
			Message: fmt.Sprintf("goroutine leak: the Wait on %s blocks for ever: no code calls %s.Signal or %s.Broadcast",
				k.Name(), k.Name(), k.Name()),
		})
	}
}

// visit records what in does with a condition variable held in a
// field or package variable.
func (cv *condVars) visit(in ssa.Instruction) {
	switch x := in.(type) {
	case ssa.CallInstruction:
		op := syncapi.Call(x.Common())
		switch op.Kind {
		case syncapi.CondWait, syncapi.CondSignal, syncapi.CondBroadcast:
			k := condHome(op.RecvArg(x.Common()))
			if k == nil {
				return
			}
			if op.Kind == syncapi.CondWait {
				if _, ok := x.(*ssa.Call); ok {
					cv.waits[k] = append(cv.waits[k], x)
				}
			} else {
				cv.signaled[k] = true
			}
		}
	case *ssa.FieldAddr:
		cv.checkUses(x, ssax.FieldOf(x))
	}
	// A package variable's uses.
	for _, op := range in.Operands(nil) {
		if g, ok := (*op).(*ssa.Global); ok && g.Object() != nil && syncapi.TypeOf(g.Object().Type()) == syncapi.Cond {
			if _, isFA := in.(*ssa.FieldAddr); !isFA {
				cv.checkUse(g.Object(), in, g)
			}
		}
	}
}

// checkUses records an escape of field f (a Cond or a *Cond) when the
// address fa, or the pointer loaded from it, goes anywhere but to the
// methods and L.
func (cv *condVars) checkUses(fa *ssa.FieldAddr, f *types.Var) {
	if f == nil || syncapi.TypeOf(f.Type()) != syncapi.Cond {
		return
	}
	refs := fa.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		cv.checkUse(f, r, fa)
	}
}

// checkUse records an escape of the condition variable home unless the
// instruction r uses v (its address, or a load of it) as a receiver of
// Wait, Signal or Broadcast, reaches its L, or stores a new one.
func (cv *condVars) checkUse(home types.Object, r ssa.Instruction, v ssa.Value) {
	switch x := r.(type) {
	case *ssa.DebugRef:
		return
	case *ssa.Store:
		if x.Addr == v {
			return // a new condition variable assigned
		}
	case *ssa.UnOp:
		if x.Op == token.MUL && x.X == v {
			if _, isPtr := types.Unalias(x.Type()).Underlying().(*types.Pointer); isPtr {
				refs := x.Referrers()
				if refs == nil {
					return
				}
				for _, rr := range *refs {
					cv.checkUse(home, rr, x)
				}
				return
			}
		}
	case *ssa.FieldAddr:
		if x.X == v && syncapi.IsCondL(v.Type(), x.Field) {
			return
		}
	case *ssa.BinOp:
		if x.Op == token.EQL || x.Op == token.NEQ {
			return // compared with nil
		}
	case ssa.CallInstruction:
		switch op := syncapi.Call(x.Common()); op.Kind {
		case syncapi.CondWait, syncapi.CondSignal, syncapi.CondBroadcast:
			if op.RecvArg(x.Common()) == v {
				if _, isGo := x.(*ssa.Go); !isGo {
					return
				}
			}
		}
	}
	cv.escapes[home] = true
}

// condHome returns the unexported field or package variable that the
// receiver v of a Cond method was loaded from, or nil.
func condHome(v ssa.Value) types.Object {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		v = u.X // a *Cond loaded from its home
	}
	switch x := v.(type) {
	case *ssa.FieldAddr:
		if f := ssax.FieldOf(x); f != nil {
			return f
		}
	case *ssa.Global:
		return x.Object()
	}
	return nil
}

// sortObjects orders objects by position, for a stable report order.
func sortObjects(objs []types.Object) {
	sort.Slice(objs, func(i, j int) bool { return objs[i].Pos() < objs[j].Pos() })
}
