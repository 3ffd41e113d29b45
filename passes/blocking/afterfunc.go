package blocking

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
)

// afterFuncDrain reports the wait for a timer's callback that Stop
// could not stop, when the callback only closes (or sends on) the
// channel waited on:
//
//	if !d.timer.Stop() {
//		<-d.cancel // the timer fired: wait for it to close cancel
//	}
//
// where every timer stored in d.timer is time.AfterFunc(dur, func() {
// close(cancel) }) with cancel taken from d.cancel (net.Pipe's
// deadlines, and their copies). The callback has started, takes no lock
// and ends with the close: the wait is short.
func (a *analyzer) afterFuncDrain(recv *ssa.UnOp) bool {
	b := recv.Block()
	if b == nil || len(b.Preds) != 1 {
		return false
	}
	ifi, ok := b.Preds[0].Instrs[len(b.Preds[0].Instrs)-1].(*ssa.If)
	if !ok {
		return false
	}
	timer, onFalse := ssax.StoppedTimer(ifi)
	if timer == nil || onFalse != b {
		return false
	}
	tfa, cfa := ssax.FieldAddrOf(timer), ssax.FieldAddrOf(recv.X)
	if tfa == nil || cfa == nil || !ssax.SameLocation(tfa.X, cfa.X) {
		return false
	}
	tf, cf := ssax.FieldOf(tfa), ssax.FieldOf(cfa)
	if tf == nil || cf == nil || tf.Pkg() != a.pass.Pkg {
		return false
	}
	stores := 0
	for _, fn := range a.fns {
		for _, blk := range fn.Blocks {
			for _, instr := range blk.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				fa, ok := st.Addr.(*ssa.FieldAddr)
				if !ok || ssax.FieldOf(fa) != tf {
					continue
				}
				if c, ok := st.Val.(*ssa.Const); ok && c.IsNil() {
					continue
				}
				call, ok := ssax.Unwrap(st.Val, ssax.WrapChangeType).(*ssa.Call)
				if !ok || syncapi.Func(call.Call.StaticCallee()).Kind != syncapi.AfterFunc || len(call.Call.Args) != 2 || !signalsField(call.Call.Args[1], cf) {
					return false
				}
				stores++
			}
		}
	}
	return stores > 0
}

// signalsField reports whether f, a function literal, does nothing but
// close or send on a channel loaded from field cf (directly, or through
// a variable it captures).
func signalsField(f ssa.Value, cf *types.Var) bool {
	mc, ok := f.(*ssa.MakeClosure)
	if !ok {
		return false
	}
	fn, ok := mc.Fn.(*ssa.Function)
	if !ok || fn.Blocks == nil {
		return false
	}
	fromField := func(v ssa.Value) bool {
		v = ssax.Unwrap(v, ssax.WrapChangeType)
		if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
			if fv, ok := load.X.(*ssa.FreeVar); ok {
				// A captured variable: what the spawner stored in it.
				for i, p := range fn.FreeVars {
					if p == fv {
						if cell, ok := mc.Bindings[i].(*ssa.Alloc); ok {
							v = ssax.SoleStore(cell)
						}
					}
				}
			}
		}
		if fv, ok := v.(*ssa.FreeVar); ok {
			for i, p := range fn.FreeVars {
				if p == fv {
					v = mc.Bindings[i]
				}
			}
		}
		return v != nil && ssax.FieldOfValue(v) == cf
	}
	signals := 0
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Call:
				bi, ok := x.Call.Value.(*ssa.Builtin)
				if !ok || bi.Name() != "close" || !fromField(x.Call.Args[0]) {
					return false
				}
				signals++
			case *ssa.Send:
				if !fromField(x.Chan) {
					return false
				}
				signals++
			case *ssa.Go, *ssa.Defer, *ssa.Select:
				return false
			}
		}
	}
	return signals > 0
}
