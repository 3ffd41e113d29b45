package blocking

import (
	"go/constant"

	"golang.org/x/tools/go/ssa"
)

// sendCannotBlock reports whether send is provably never made on a full
// channel: the channel is created in view by make with a constant
// buffer, every use of it is visible (sends, receives, close, len, cap,
// closures that are called or started once), no send can run more than
// once per make, and the sends number no more than the buffer slots.
func (a *analyzer) sendCannotBlock(fn *ssa.Function, send *ssa.Send) bool {
	mk := a.makeChanOf(send.Chan)
	if mk == nil {
		return false
	}
	size, ok := mk.Size.(*ssa.Const)
	if !ok || size.Value == nil || size.Value.Kind() != constant.Int {
		return false
	}
	n, exact := constant.Int64Val(size.Value)
	if !exact || n <= 0 {
		return false
	}
	sends := 0
	okUses := a.countSends(mk, mk.Parent(), &sends, 0)
	return okUses && int64(sends) <= n
}

// makeChanOf follows conversions and closure bindings from a channel
// value back to the make that created it, or returns nil.
func (a *analyzer) makeChanOf(v ssa.Value) *ssa.MakeChan {
	for i := 0; i < 8; i++ {
		switch x := v.(type) {
		case *ssa.MakeChan:
			return x
		case *ssa.ChangeType:
			v = x.X
		case *ssa.FreeVar:
			fn := x.Parent()
			idx := -1
			for i, fv := range fn.FreeVars {
				if fv == x {
					idx = i
				}
			}
			mc := soleMakeClosure(fn)
			if mc == nil || idx < 0 || idx >= len(mc.Bindings) {
				return nil
			}
			v = mc.Bindings[idx]
		default:
			return nil
		}
	}
	return nil
}

// soleMakeClosure returns the one MakeClosure of an anonymous function.
func soleMakeClosure(fn *ssa.Function) *ssa.MakeClosure {
	p := fn.Parent()
	if p == nil {
		return nil
	}
	var found *ssa.MakeClosure
	for _, b := range p.Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn {
				if found != nil {
					return nil
				}
				found = mc
			}
		}
	}
	return found
}

// countSends walks the uses of channel value v in fn, adding its send
// sites to *sends, and reports whether every use is understood and no
// send may run more than once.
func (a *analyzer) countSends(v ssa.Value, fn *ssa.Function, sends *int, depth int) bool {
	if depth > 4 {
		return false
	}
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		switch u := r.(type) {
		case *ssa.Send:
			if u.Chan != v || a.inLoop(fn, u.Block()) {
				return false
			}
			*sends++
		case *ssa.UnOp: // receive
		case *ssa.ChangeType:
			if !a.countSends(u, fn, sends, depth+1) {
				return false
			}
		case *ssa.Select:
			for _, st := range u.States {
				if st.Send != nil && st.Chan == v {
					if a.inLoop(fn, u.Block()) {
						return false
					}
					*sends++
				}
				if st.Send == v {
					return false // the channel itself is sent
				}
			}
		case *ssa.Call:
			b, ok := u.Call.Value.(*ssa.Builtin)
			if !ok {
				return false
			}
			switch b.Name() {
			case "close", "len", "cap":
			default:
				return false
			}
		case *ssa.MakeClosure:
			if u.Fn == v {
				return false
			}
			// The closure must be created outside loops and used only
			// as the callee of one call, go or defer.
			if a.inLoop(fn, u.Block()) || !calledOnce(u) {
				return false
			}
			cl := u.Fn.(*ssa.Function)
			for i, bv := range u.Bindings {
				if bv == v && i < len(cl.FreeVars) {
					if !a.countSends(cl.FreeVars[i], cl, sends, depth+1) {
						return false
					}
				}
			}
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}

// calledOnce reports whether a closure value is used only as the
// function of a single call, go or defer instruction.
func calledOnce(mc *ssa.MakeClosure) bool {
	refs := mc.Referrers()
	if refs == nil || len(*refs) != 1 {
		return false
	}
	switch u := (*refs)[0].(type) {
	case ssa.CallInstruction:
		c := u.Common()
		if c.Value != mc {
			return false
		}
		for _, arg := range c.Args {
			if arg == mc {
				return false
			}
		}
		return true
	}
	return false
}

// inLoop reports whether b lies on a cycle of fn's control-flow graph.
func (a *analyzer) inLoop(fn *ssa.Function, b *ssa.BasicBlock) bool {
	m := a.loops[fn]
	if m == nil {
		m = loopBlocks(fn)
		a.loops[fn] = m
	}
	return m[b]
}

// loopBlocks returns the blocks of fn that can reach themselves.
func loopBlocks(fn *ssa.Function) map[*ssa.BasicBlock]bool {
	m := map[*ssa.BasicBlock]bool{}
	for _, b := range fn.Blocks {
		seen := map[*ssa.BasicBlock]bool{}
		stack := append([]*ssa.BasicBlock(nil), b.Succs...)
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if x == b {
				m[b] = true
				break
			}
			if seen[x] {
				continue
			}
			seen[x] = true
			stack = append(stack, x.Succs...)
		}
	}
	return m
}
