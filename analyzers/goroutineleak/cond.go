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
	// wakers are the functions that signal or broadcast each one.
	wakers map[types.Object]map[*ssa.Function]bool
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
		wakers:   map[types.Object]map[*ssa.Function]bool{},
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
		if cv.signaled[k] && !cv.escapes[k] && !k.Exported() {
			c.unwokenFlags(funcs, k, &cv)
		}
		if cv.signaled[k] || cv.escapes[k] || k.Exported() {
			continue
		}
		w := cv.waits[k][0]
		c.report(analysis.Diagnostic{
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
				if cv.wakers[k] == nil {
					cv.wakers[k] = map[*ssa.Function]bool{}
				}
				cv.wakers[k][in.Parent()] = true
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

// unwokenFlags reports a store of true to a boolean field that a Wait
// loop on k waits for (the loop ends when the field is true: closed,
// done), made by a Close, Stop or Shutdown method that neither signals
// nor broadcasts k, directly or in a callee two calls deep: the waiters
// sleep on although what they wait for has happened. Other functions
// that set the flag (when nothing can be waiting any more, or on the
// way to code that wakes the waiters elsewhere) are not judged.
//
//	for len(q.items) == 0 && !q.closed { q.cond.Wait() }
//	func (q *Q) Close() { q.mu.Lock(); q.closed = true; q.mu.Unlock() } // no Broadcast
func (c *checker) unwokenFlags(funcs []*ssa.Function, k types.Object, cv *condVars) {
	flags := map[*types.Var]ssa.CallInstruction{}
	for _, w := range cv.waits[k] {
		for _, f := range exitFlags(c, w) {
			if _, ok := flags[f]; !ok {
				flags[f] = w
			}
		}
	}
	if len(flags) == 0 {
		return
	}
	wakes := func(fn *ssa.Function) bool {
		seen := map[*ssa.Function]bool{}
		var walk func(f *ssa.Function, d int) bool
		walk = func(f *ssa.Function, d int) bool {
			if f == nil || seen[f] {
				return false
			}
			seen[f] = true
			if cv.wakers[k][f] {
				return true
			}
			if d >= 2 {
				return false
			}
			for _, b := range f.Blocks {
				for _, in := range b.Instrs {
					call, ok := in.(ssa.CallInstruction)
					if !ok {
						continue
					}
					if callee := call.Common().StaticCallee(); callee != nil && walk(callee, d+1) {
						return true
					}
					if mc, ok := call.Common().Value.(*ssa.MakeClosure); ok {
						if fn, ok := mc.Fn.(*ssa.Function); ok && walk(fn, d+1) {
							return true
						}
					}
				}
			}
			for _, an := range f.AnonFuncs {
				if walk(an, d+1) {
					return true
				}
			}
			return false
		}
		return walk(fn, 0)
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				st, ok := in.(*ssa.Store)
				if !ok || !ssax.IsTrue(st.Val) {
					continue
				}
				fa, ok := st.Addr.(*ssa.FieldAddr)
				if !ok {
					continue
				}
				f := ssax.FieldOf(fa)
				w, waited := flags[f]
				if !waited || fn == w.Parent() || !closingMethod(fn) || wakes(fn) {
					continue
				}
				c.report(analysis.Diagnostic{
					Pos:      st.Pos(),
					Category: CatCond,
					Message: fmt.Sprintf("goroutine leak: %s sets %s without a %s.Broadcast or %s.Signal: goroutines waiting on %s for it sleep on",
						display(fn), f.Name(), k.Name(), k.Name(), k.Name()),
					Related: []analysis.RelatedInformation{{Pos: w.Pos(), Message: "waits for " + f.Name() + " here"}},
				})
			}
		}
	}
}

// exitFlags returns the boolean fields whose being true ends the loop
// around the Wait w: a test in the loop that leaves it when the field
// is true.
func exitFlags(c *checker, w ssa.CallInstruction) []*types.Var {
	fn := w.Parent()
	wb := w.Block()
	if !c.g.InLoop(wb) {
		return nil
	}
	var out []*types.Var
	for _, b := range fn.Blocks {
		br, ok := ssax.BranchOf(b)
		if !ok || !c.g.InLoop(b) || !blockReaches(b, wb) || !blockReaches(wb, b) {
			continue // not a test of the Wait's loop
		}
		_, fa := ssax.FieldLoad(br.Cond)
		if fa == nil {
			continue
		}
		exit := br.OnTrue // the flag set ends the wait
		if blockReaches(exit, wb) {
			continue // that side goes round to the Wait again
		}
		if f := ssax.FieldOf(fa); f != nil {
			out = append(out, f)
		}
	}
	return out
}

// blockReaches reports whether block b reaches block t (b == t included).
func blockReaches(b, t *ssa.BasicBlock) bool {
	return b == t || ssax.RunsBefore(b.Instrs[0], t.Instrs[0])
}

// closingMethod reports whether fn is a method named Close, Stop or
// Shutdown (or their unexported forms), not a closure inside one.
func closingMethod(fn *ssa.Function) bool {
	if fn.Parent() != nil || fn.Signature.Recv() == nil {
		return false
	}
	return syncapi.Named(fn.Name(), syncapi.Closer)
}
