package sharedaccess

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/lockset"
)

// fnval is a function value known to a frame: the function and its
// closure bindings named in root terms.
type fnval struct {
	fn    *ssa.Function
	binds []path
	funcs []*fnval // function values among the bindings
}

// funcValue returns the function value v denotes in fr, or nil.
func (fr *frame) funcValue(v ssa.Value, d int) *fnval {
	if d > 3 || v == nil {
		return nil
	}
	if fv, ok := fr.funcs[v]; ok {
		return fv
	}
	switch x := v.(type) {
	case *ssa.ChangeType:
		return fr.funcValue(x.X, d+1)
	case *ssa.UnOp:
		// Loaded from a variable that a closure captures: the
		// function stored there (a pointer stands for its contents).
		if x.Op != token.MUL || !isFuncTyped(x.Type()) {
			return nil
		}
		if fv := fr.funcValue(x.X, d+1); fv != nil {
			return fv
		}
		// A field the spawner filled with a function (s.onDone = f).
		if p, ok := fr.resolve(x.X); ok {
			return fr.c.storedFunc(p.key, d+1)
		}
		return nil
	case *ssa.Alloc:
		return fr.funcValue(storedOnce(x), d+1)
	case *ssa.MakeInterface:
		if _, ok := x.X.Type().Underlying().(*types.Signature); ok {
			return fr.funcValue(x.X, d+1)
		}
		return nil
	}
	f, binds := ssax.FuncOf(v)
	if f == nil || f.Blocks == nil {
		return nil
	}
	out := &fnval{fn: f, binds: make([]path, len(binds)), funcs: make([]*fnval, len(binds))}
	for i, b := range binds {
		if p, ok := fr.resolve(b); ok {
			out.binds[i] = p
		}
		out.funcs[i] = fr.funcValue(b, d+1)
	}
	return out
}

// concreteType returns the dynamic type of interface value v when fr
// knows it: converted from a concrete value in sight, or handed down.
func (fr *frame) concreteType(v ssa.Value, d int) types.Type {
	if d > 4 || v == nil {
		return nil
	}
	if t, ok := fr.dyn[v]; ok {
		return t
	}
	switch x := v.(type) {
	case *ssa.MakeInterface:
		return x.X.Type()
	case *ssa.ChangeInterface:
		return fr.concreteType(x.X, d+1)
	}
	return nil
}

// implOf returns the method an interface call reaches: that of the
// known dynamic type, or of the only type of this package implementing
// an interface declared in this package.
func (fr *frame) implOf(c *ssa.CallCommon) *ssa.Function {
	st := fr.c.st
	prog := fr.fn.Prog
	t := fr.concreteType(c.Value, 0)
	if t == nil {
		t = st.callees.SoleImpl(c.Value.Type())
	}
	if t == nil || c.Method == nil || types.IsInterface(t) {
		return nil // a type parameter's or interface's methods are abstract
	}
	if _, ok := types.Unalias(t).(*types.TypeParam); ok {
		return nil
	}
	if n, ok := types.Unalias(derefType(t)).(*types.Named); ok && n.TypeParams().Len() > 0 {
		return nil
	}
	sel := prog.MethodSets.MethodSet(t).Lookup(c.Method.Pkg(), c.Method.Name())
	if sel == nil {
		return nil
	}
	f := prog.MethodValue(sel)
	if f == nil || f.Blocks == nil {
		return nil
	}
	return f
}

func derefType(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// storedFunc returns the function value the root function stores, in
// its only store, at the location named key, or nil.
func (c *context) storedFunc(key string, d int) *fnval {
	if c.root == nil || d > 3 {
		return nil
	}
	rf := &frame{c: c, fn: c.root, env: map[ssa.Value]path{}, root: true}
	keys := []string{key}
	for _, b := range c.root.Blocks {
		for _, instr := range b.Instrs {
			// A goroutine names an object through the captured
			// variable that holds it (s := &T{F: f} is "s*.F"); the
			// composite literal stored into the object itself.
			a, ok := instr.(*ssa.Alloc)
			if !ok || !a.Heap {
				continue
			}
			prefix := "a" + c.st.id(a) + "*"
			if obj, ok := storedOnce(a).(*ssa.Alloc); ok && strings.HasPrefix(key, prefix) {
				keys = append(keys, "a"+c.st.id(obj)+key[len(prefix):])
			}
		}
	}
	var val ssa.Value
	for _, b := range c.root.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok || !isFuncTyped(st.Val.Type()) {
				continue
			}
			if p, ok := rf.resolve(st.Addr); ok && slices.Contains(keys, p.key) {
				if val != nil {
					return nil
				}
				val = st.Val
			}
		}
	}
	if val == nil {
		return nil
	}
	return rf.funcValue(val, d)
}

// bindFuncs records in sub the function values among a call's
// arguments (bound to f's parameters) and bindings (its free variables).
func (fr *frame) bindFuncs(sub *frame, f *ssa.Function, args, binds []ssa.Value) {
	set := func(k, v ssa.Value) {
		if types.IsInterface(v.Type()) {
			if t := fr.concreteType(v, 0); t != nil {
				if sub.dyn == nil {
					sub.dyn = map[ssa.Value]types.Type{}
				}
				sub.dyn[k] = t
			}
			return
		}
		if !isFuncTyped(v.Type()) {
			return
		}
		if fv := fr.funcValue(v, 0); fv != nil {
			if sub.funcs == nil {
				sub.funcs = map[ssa.Value]*fnval{}
			}
			sub.funcs[k] = fv
		}
	}
	for i, p := range f.Params {
		if i < len(args) {
			set(p, args[i])
		}
	}
	for i, fv := range f.FreeVars {
		if i < len(binds) {
			set(fv, binds[i])
		}
	}
}

// isFuncTyped reports whether t is a function type, or a pointer to one
// (a variable captured by a closure).
func isFuncTyped(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	_, ok := t.Underlying().(*types.Signature)
	return ok
}

// assignedOnce returns the value of a captured variable assigned once,
// where it is declared, and never through a closure: a call result or a
// parameter the spawner also uses directly. Only such values are
// returned, not allocations (the variable itself names those).
func assignedOnce(a *ssa.Alloc) ssa.Value {
	v := storedOnce(a)
	switch v := v.(type) {
	case *ssa.Call, *ssa.Parameter:
	case *ssa.Extract:
		if _, ok := v.Tuple.(*ssa.Call); !ok {
			return nil
		}
	default:
		return nil
	}
	for _, r := range *a.Referrers() {
		mc, ok := r.(*ssa.MakeClosure)
		if !ok {
			continue
		}
		f, ok := mc.Fn.(*ssa.Function)
		if !ok {
			return nil
		}
		for i, b := range mc.Bindings {
			if b != a || i >= len(f.FreeVars) {
				continue
			}
			for _, u := range *f.FreeVars[i].Referrers() {
				if st, ok := u.(*ssa.Store); ok && st.Addr == f.FreeVars[i] {
					return nil
				}
				if _, ok := u.(*ssa.MakeClosure); ok {
					return nil // captured again: not followed
				}
			}
		}
	}
	return v
}

// storedOnce returns the value stored in a local variable that is
// assigned exactly once, or nil.
func storedOnce(a *ssa.Alloc) ssa.Value {
	var val ssa.Value
	for _, r := range *a.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == a {
			if val != nil {
				return nil
			}
			val = st.Val
		}
	}
	return val
}

// enterValue walks a call of the known function value fv.
func (fr *frame) enterValue(instr ssa.Instruction, fv *fnval, args []ssa.Value, fl *lockset.FuncLocks, deferred bool) {
	f := fv.fn
	if f.Blocks == nil || fr.depth >= maxDepth || fr.c.steps > maxSteps {
		return
	}
	env := map[ssa.Value]path{}
	for i, p := range f.Params {
		if i < len(args) {
			if ap, ok := fr.resolve(args[i]); ok {
				env[p] = ap
			} else {
				env[p] = path{}
			}
		}
	}
	sub := &frame{c: fr.c, fn: f, env: env, top: fr.topOf(instr), exit: fr.atExit(deferred), late: fr.isLate(deferred), depth: fr.depth + depthCost(f), goEntry: fr.goEntry}
	for i, v := range f.FreeVars {
		if i < len(fv.binds) {
			env[v] = fv.binds[i]
			if fv.funcs[i] != nil {
				if sub.funcs == nil {
					sub.funcs = map[ssa.Value]*fnval{}
				}
				sub.funcs[v] = fv.funcs[i]
			}
		}
	}
	fr.bindFuncs(sub, f, args, nil)
	sub.locks = append(fr.heldAt(instr, fl), fr.customLocks(instr)...)
	sub.walk()
}

// calledDirectly reports whether a closure's only uses are as the callee
// of calls or go/defer statements (walked there).
func calledDirectly(mc *ssa.MakeClosure) bool {
	for _, r := range *mc.Referrers() {
		if c, ok := r.(ssa.CallInstruction); ok {
			if callee := c.Common().StaticCallee(); callee != nil && callee.Pkg != nil && syncapi.IsSyncPackage(callee.Pkg.Pkg.Path()) {
				return true // Once.Do and friends: walked at the call
			}
		}
		c, ok := r.(ssa.CallInstruction)
		if !ok || c.Common().Value != mc {
			return false
		}
	}
	return true
}

// heldAtParamCalls returns the locks that the functions mc is passed to
// hold at every call of the parameter that receives it: a helper that
// runs the closure under its lock (func (m *M) withLock(f func()) {
// m.mu.Lock(); defer m.mu.Unlock(); f() }). See passedInPackage.
func (st *state) heldAtParamCalls(mc *ssa.MakeClosure) []lockset.Lock {
	var acc []lockset.Lock
	first := true
	for _, r := range *mc.Referrers() {
		c, ok := r.(ssa.CallInstruction)
		if !ok {
			continue
		}
		callee := c.Common().StaticCallee()
		if callee == nil {
			return nil
		}
		for i, a := range c.Common().Args {
			if a != mc || i >= len(callee.Params) {
				continue
			}
			fl := st.locks.Func(callee)
			for _, u := range *callee.Params[i].Referrers() {
				cu, ok := u.(ssa.CallInstruction)
				if !ok || cu.Common().Value != callee.Params[i] {
					continue
				}
				held := fl.MustHeld(u)
				if first {
					acc, first = dedup(held), false
				} else {
					acc = intersect(acc, held)
				}
			}
		}
	}
	return acc
}

// passedInPackage reports whether a closure is only passed to functions
// of this package (which may call it there and then), not stored or
// handed to other packages (t.Cleanup, http.HandleFunc) that run it later.
func (fr *frame) passedInPackage(mc *ssa.MakeClosure) bool {
	for _, r := range *mc.Referrers() {
		c, ok := r.(ssa.CallInstruction)
		if !ok || c.Common().IsInvoke() {
			return false
		}
		if _, isGo := r.(*ssa.Go); isGo {
			return false
		}
		callee := c.Common().StaticCallee()
		if callee == nil || ssax.Origin(callee).Pkg != fr.c.st.ssa.Pkg {
			return false
		}
		// The callee must call the closure itself, not store it.
		called := false
		for i, a := range c.Common().Args {
			if a != mc || i >= len(callee.Params) {
				continue
			}
			for _, u := range *callee.Params[i].Referrers() {
				if cu, ok := u.(ssa.CallInstruction); ok && cu.Common().Value == callee.Params[i] {
					called = true
				}
			}
		}
		if !called {
			return false
		}
	}
	return true
}
