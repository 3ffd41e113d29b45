package sharedaccess

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/goroutines"
)

// A context's cancel function closes its Done channel: what happens
// before cancel() happens before a receive from ctx.Done() returns
// because of it, as for close(ch) and <-ch. The context and its cancel
// are paired by the call that returns both (context.WithCancel of
// Background, or a package's own constructor around one), and the pair
// is named by the cancel function's value. Contexts that a timeout or
// a parent may end as well are left out: their Done orders nothing.

const ctxDoneType = "context done"

// rootCancel reports whether call makes a context that only its own
// cancel function ends: context.WithCancel (or WithCancelCause) of
// context.Background() or TODO(), so a receive from its Done means the
// cancel was called; or a function of the package that returns such a
// cancel function as its second result (a constructor wrapping the
// context). A timeout, a deadline or a parent that others may cancel
// ends the context without the cancel: no order then.
func rootCancel(call *ssa.Call, depth int) bool {
	c := &call.Call
	switch syncapi.Call(c).Kind {
	case syncapi.WithCancel:
		if len(c.Args) == 0 {
			return false
		}
		parent, ok := c.Args[0].(*ssa.Call)
		if !ok {
			return false
		}
		f := parent.Call.StaticCallee()
		return f != nil && f.Pkg != nil && f.Pkg.Pkg.Path() == "context" && (f.Name() == "Background" || f.Name() == "TODO")
	case syncapi.WithTimeout, syncapi.WithDeadline:
		return false
	}
	f := c.StaticCallee()
	if f == nil || depth > 1 || len(f.Blocks) == 0 || f.Signature.Results().Len() != 2 {
		return false
	}
	n := 0
	for _, b := range f.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		e, ok := ret.Results[1].(*ssa.Extract)
		if !ok || e.Index != 1 {
			return false
		}
		inner, ok := e.Tuple.(*ssa.Call)
		if !ok || !rootCancel(inner, depth+1) {
			return false
		}
		n++
	}
	return n > 0
}

// ctxDoneKey returns the key of the Done channel of ctx, when ctx is
// the first result of a call whose second result is its cancel
// function, and only that function ends it (rootCancel).
func (fr *frame) ctxDoneKey(ctx ssa.Value) (string, bool) {
	p, ok := fr.resolve(ctx)
	if !ok {
		return "", false
	}
	e, ok := p.def.(*ssa.Extract)
	if !ok || e.Index != 0 || p.key != "v"+fr.c.st.id(e) {
		return "", false
	}
	if call, ok := e.Tuple.(*ssa.Call); !ok || !rootCancel(call, 0) {
		return "", false
	}
	for _, r := range *e.Tuple.Referrers() {
		if c, ok := r.(*ssa.Extract); ok && c.Index == 1 && syncapi.IsCancelFunc(c.Type()) {
			return "v" + fr.c.st.id(c) + ".done", true
		}
	}
	return "", false
}

// cancelKey returns the key of the Done channel that calling the
// cancel function fn closes.
func (fr *frame) cancelKey(fn ssa.Value) (string, bool) {
	if !syncapi.IsCancelFunc(fn.Type()) {
		return "", false
	}
	p, ok := fr.resolve(fn)
	if !ok {
		return "", false
	}
	e, ok := p.def.(*ssa.Extract)
	if !ok || e.Index != 1 || p.key != "v"+fr.c.st.id(e) {
		return "", false
	}
	return p.key + ".done", true
}

// doneReceiver returns x when ch is the result of x.Done() (a method
// Done with no arguments that returns a receive-only channel of
// struct{}, as context.Context's), or nil.
func doneReceiver(ch ssa.Value) ssa.Value {
	call, ok := ch.(*ssa.Call)
	if !ok {
		return nil
	}
	c := &call.Call
	var name string
	var recv ssa.Value
	if c.IsInvoke() {
		name, recv = c.Method.Name(), c.Value
		if len(c.Args) != 0 {
			return nil
		}
	} else if f := c.StaticCallee(); f != nil && f.Signature.Recv() != nil && len(c.Args) == 1 {
		name, recv = f.Name(), c.Args[0]
	} else {
		return nil
	}
	if name != "Done" {
		return nil
	}
	t, ok := call.Type().Underlying().(*types.Chan)
	if !ok || t.Dir() != types.RecvOnly {
		return nil
	}
	if s, ok := t.Elem().Underlying().(*types.Struct); !ok || s.NumFields() != 0 {
		return nil
	}
	return recv
}

// ctxDoneEvent records a receive from ctx.Done() as a receive from the
// context's Done channel; it reports whether ch was such a receive.
func (fr *frame) ctxDoneEvent(ch ssa.Value, instr ssa.Instruction) bool {
	recv := doneReceiver(ch)
	if recv == nil {
		return false
	}
	key, ok := fr.ctxDoneKey(unwrapIface(recv))
	if !ok {
		return false
	}
	fr.c.events = append(fr.c.events, event{kind: goroutines.EvRecv, key: key, typ: ctxDoneType, top: fr.topOf(instr), instr: instr, exit: fr.exit, late: fr.late, capacity: -1})
	return true
}

// cancelEvent records a call of a paired cancel function as the close
// of its context's Done channel; it reports whether c was one.
func (fr *frame) cancelEvent(c *ssa.CallCommon, instr ssa.Instruction, deferred bool) bool {
	if c.IsInvoke() || c.StaticCallee() != nil {
		return false
	}
	key, ok := fr.cancelKey(c.Value)
	if !ok {
		return false
	}
	fr.c.events = append(fr.c.events, event{kind: goroutines.EvClose, key: key, typ: ctxDoneType, top: fr.topOf(instr), instr: instr, exit: fr.atExit(deferred), late: fr.isLate(deferred), capacity: -1})
	return true
}

// unwrapIface follows conversions to an interface back to the value
// converted, and a promoted method's selection of an embedded field
// (ctx.Done() on a struct that embeds a context.Context) back to the
// struct.
func unwrapIface(v ssa.Value) ssa.Value {
	for i := 0; i < 4; i++ {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		case *ssa.UnOp:
			fa, ok := x.X.(*ssa.FieldAddr)
			if !ok {
				return v
			}
			if f := ssax.FieldOf(fa); f == nil || !f.Embedded() {
				return v
			}
			v = fa.X
		default:
			return v
		}
	}
	return v
}
