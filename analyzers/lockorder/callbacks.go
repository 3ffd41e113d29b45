package lockorder

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/passes/lockset"
)

// callbackDoubles reports a function value handed to a function of the
// package that calls it while holding a lock, when the function value
// takes that same lock (the same object, named through the caller's
// arguments and the closure's captured variables):
//
//	func (x *Index) Range(f func(string) bool) { x.mu.Lock(); defer x.mu.Unlock(); for k := range x.m { f(k) } }
//	x.Range(func(k string) bool { _, ok := x.Lookup(k); return ok }) // Lookup locks x.mu: deadlock
//
// Only locks that the callback reaches through what it captures (or a
// bound method's receiver) are compared: the callee's own arguments to
// the callback are not followed. A lock that a callee of the callback
// takes on some of its paths only (Maybe) is left out, as for direct
// double locks.
func (c *checker) callbackDoubles() {
	for _, fl := range c.ls.Funcs() {
		for _, b := range fl.Fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(*ssa.Call)
				if !ok || call.Call.IsInvoke() {
					continue
				}
				// The function called and its arguments: a bound method
				// value (a range-over-func loop over s.All) calls its
				// method with the receiver it captured first.
				callee, args := call.Call.StaticCallee(), call.Call.Args
				if mc, ok := call.Call.Value.(*ssa.MakeClosure); ok {
					if m := boundMethod(mc); m != nil {
						callee, args = m, append(append([]ssa.Value(nil), mc.Bindings...), call.Call.Args...)
					}
				}
				if callee == nil {
					continue
				}
				target := ssax.Origin(callee) // a generic function's body
				if target == fl.Fn || target.Pkg != fl.Fn.Pkg || len(target.Blocks) == 0 {
					continue
				}
				site := &ssa.CallCommon{Value: callee, Args: args}
				for k, arg := range args {
					if _, ok := arg.Type().Underlying().(*types.Signature); !ok || k >= len(target.Params) {
						continue
					}
					c.callbackDouble(fl, call, site, target, target.Params[k], arg)
				}
			}
		}
	}
}

// callbackDouble checks the function value arg, passed to callee as its
// parameter p at call (in fl's function), whose arguments site names.
func (c *checker) callbackDouble(fl *lockset.FuncLocks, call *ssa.Call, site *ssa.CallCommon, callee *ssa.Function, p *ssa.Parameter, arg ssa.Value) {
	// reach names the callback's locks in the caller's terms: a
	// closure's captured variables are its bindings; a bound method's
	// receiver is its binding.
	var fn *ssa.Function
	var reach *ssa.CallCommon
	switch v := arg.(type) {
	case *ssa.MakeClosure:
		fn, _ = v.Fn.(*ssa.Function)
		reach = &ssa.CallCommon{Value: v}
		if m := boundMethod(v); m != nil {
			fn, reach = m, &ssa.CallCommon{Value: m, Args: v.Bindings}
		}
	case *ssa.Function:
		fn, reach = v, &ssa.CallCommon{Value: v}
	}
	if fn == nil {
		return
	}
	ffl := c.ls.Func(fn)
	if ffl == nil {
		return
	}
	cfl := c.ls.Func(callee)
	if cfl == nil {
		return
	}
	// The locks the callee holds on every path to a call of p, in the
	// caller's terms.
	var held []lockset.Lock
	for _, b := range callee.Blocks {
		for _, instr := range b.Instrs {
			pc, ok := instr.(*ssa.Call)
			if !ok || pc.Call.Value != p {
				continue
			}
			for _, h := range cfl.MustHeld(pc) {
				if h.Unknown {
					continue
				}
				ref := cfl.Ref(h)
				if ref.Kind == lockset.RefClass || ref.Kind == lockset.RefFreeVar {
					continue // a lock the caller cannot name
				}
				if l := fl.MapRef(site, ssax.Pos(call), ref); !l.Unknown {
					held = append(held, l)
				}
			}
		}
	}
	if len(held) == 0 {
		return
	}
	// The callback's own acquisitions, direct or through its callees
	// (not those a callee makes on some of its paths only).
	for _, e := range ffl.Events() {
		if e.Kind != lockset.Acquire && e.Kind != lockset.Take || e.Maybe || e.Lock.Unknown {
			continue
		}
		t := ffl.Ref(e.Lock)
		if t.Kind == lockset.RefClass || t.Kind == lockset.RefParam && t.Index >= len(reach.Args) {
			continue // a lock reached through what the callee passes the callback
		}
		l := fl.MapRef(reach, ssax.Pos(call), t)
		if l.Unknown {
			continue
		}
		for _, h := range held {
			if h.Key != l.Key {
				continue
			}
			c.reportCallbackDouble(call, callee, fn, h, l, e.Via)
			return
		}
	}
}

func (c *checker) reportCallbackDouble(call *ssa.Call, callee, fn *ssa.Function, held, taken lockset.Lock, via []string) {
	verb := "locks"
	if taken.Read {
		verb = "read-locks"
	}
	how := ""
	if len(via) > 0 {
		how = " (via " + via[0] + ")"
	}
	state := "holds"
	if held.Read {
		state = "read-locks"
	}
	cb := names.Func(fn)
	if fn.Synthetic == "range-over-func yield" && fn.Parent() != nil {
		cb = "the body of the range loop in " + names.Func(fn.Parent())
	}
	var msg, cat string
	switch {
	case held.Read && taken.Read:
		cat = CategoryRecursion
		msg = fmt.Sprintf("recursive read lock: %s, called by %s while it %s %s, %s it again%s; a writer queued in between deadlocks both", cb, names.Func(callee), state, held.Name, verb, how)
	case held.Read:
		cat = CategoryUpgrade
		msg = fmt.Sprintf("lock upgrade deadlock: %s, called by %s while it %s %s, locks it for writing%s", cb, names.Func(callee), state, held.Name, how)
	default:
		cat = CategoryDouble
		msg = fmt.Sprintf("double lock: %s, called by %s while it %s %s, %s it again%s", cb, names.Func(callee), state, held.Name, verb, how)
	}
	c.pass.Report(analysis.Diagnostic{Pos: ssax.Pos(call), Category: cat, Message: msg})
}

// boundMethod returns the method that mc, a bound method value (x.M),
// calls with its one binding as the receiver, or nil.
func boundMethod(mc *ssa.MakeClosure) *ssa.Function {
	w, ok := mc.Fn.(*ssa.Function)
	if !ok || len(mc.Bindings) != 1 || !strings.HasPrefix(w.Synthetic, "bound method wrapper") {
		return nil
	}
	return ssax.WrappedMethod(w)
}

// fieldCalls returns the function-valued fields of the package's types
// that its functions call while holding locks, with the classes held
// at every such call.
func (c *checker) fieldCalls() []FieldCall {
	held := map[string][]string{}
	var order []string
	for _, fl := range c.ls.Funcs() {
		for _, b := range fl.Fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(*ssa.Call)
				if !ok || call.Call.IsInvoke() || call.Call.StaticCallee() != nil {
					continue
				}
				load, ok := call.Call.Value.(*ssa.UnOp)
				if !ok || load.Op != token.MUL {
					continue
				}
				fa, ok := load.X.(*ssa.FieldAddr)
				if !ok {
					continue
				}
				f := ssax.FieldOf(fa)
				id := ssax.FieldID(fa)
				if f == nil || id == "" || f.Pkg() != c.pass.Pkg || !f.Exported() {
					continue // only other packages can store into it unseen
				}
				var classes []string
				for _, l := range fl.MustHeld(call) {
					if !l.Anonymous() && !l.Unknown && !l.Read {
						classes = append(classes, l.Class)
					}
				}
				if len(classes) == 0 {
					continue
				}
				if _, seen := held[id]; !seen {
					order = append(order, id)
				}
				held[id] = uniq(append(held[id], classes...))
			}
		}
	}
	var out []FieldCall
	for _, id := range order {
		out = append(out, FieldCall{Field: id, Held: held[id]})
	}
	return out
}

// callbackEdges adds the edges that a function stored into another
// package's function-valued field makes there: that package calls the
// field with its locks held (its Edges fact's Callbacks), and the
// function takes locks of its own (c.OnStateChange = b.handle, where
// handle locks b.mu: Conn.mu before Balancer.mu).
func (c *checker) callbackEdges() {
	calls := map[string][]string{}
	for _, f := range c.pass.AllPackageFacts() {
		es, ok := f.Fact.(*Edges)
		if !ok || f.Package == c.pass.Pkg {
			continue
		}
		for _, fc := range es.Callbacks {
			calls[fc.Field] = fc.Held
		}
	}
	if len(calls) == 0 {
		return
	}
	seen := map[[2]string]bool{}
	for _, s := range c.local {
		seen[[2]string{s.edge.From, s.edge.To}] = true
	}
	for _, fl := range c.ls.Funcs() {
		for _, b := range fl.Fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				fa, ok := st.Addr.(*ssa.FieldAddr)
				if !ok {
					continue
				}
				id := ssax.FieldID(fa)
				heldClasses, ok := calls[id]
				if !ok {
					continue
				}
				cb, _ := ssax.FuncOf(st.Val)
				if cb == nil {
					continue
				}
				if m := ssax.WrappedMethod(cb); m != nil {
					cb = m // a method value: the method it is bound to
				}
				cfl := c.ls.Func(cb)
				if cfl == nil {
					continue
				}
				field := id[strings.LastIndex(id, "/")+1:]
				for _, e := range cfl.Events() {
					if e.Kind != lockset.Acquire || e.Deferred || e.Fresh || e.Lock.Anonymous() || e.Lock.Unknown {
						continue
					}
					for _, h := range heldClasses {
						pair := [2]string{h, e.Lock.Class}
						if h == e.Lock.Class || seen[pair] {
							continue
						}
						seen[pair] = true
						p := c.pass.Fset.Position(st.Pos())
						c.local = append(c.local, &site{
							edge: Edge{
								From: h, To: e.Lock.Class,
								Func: qualifiedName(cb),
								File: p.Filename, Line: p.Line,
								Via: append([]string{"the " + field + " callback set here"}, e.Via...),
							},
							pos:      st.Pos(),
							fromName: lockset.ShortClass(h),
							toName:   e.Lock.Name,
						})
					}
				}
			}
		}
	}
}
