package lockset

import (
	"go/constant"
	"go/token"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A range-over-func loop body is compiled to a "yield" closure that the
// iterator calls; a return, break or goto out of the body makes the
// closure store a constant in its jump variable and return false, and
// the enclosing function, after the iterator returns, branches on that
// variable. The iterator is an unknown function value, so nothing ties
// the closure's lock effects to the enclosing function's paths. This
// file restores the tie: the closure's exit states are kept by jump
// value, and the enclosing function applies, on the edge where the
// jump variable is known to equal that value, what the body did to
// the locks on the way out (an Unlock before return, a Lock left held
// by a break).

// yieldSynthetic is go/ssa's Synthetic text for a range-over-func body.
const yieldSynthetic = "range-over-func yield"

// isYield reports whether fn is the body of a range-over-func loop.
func isYield(fn *ssa.Function) bool {
	return fn != nil && fn.Synthetic == yieldSynthetic
}

// IsRangeFuncBody reports whether fn is the body of a range-over-func
// loop. Its returns leave the loop, not a function: the locks it leaves
// held or released there are the enclosing function's, and lockset
// applies them on the enclosing function's paths.
func IsRangeFuncBody(fn *ssa.Function) bool { return isYield(fn) }

// yieldClosures returns the range-over-func bodies that fn creates.
func yieldClosures(fn *ssa.Function) []*ssa.Function {
	var out []*ssa.Function
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok {
				if f, ok := mc.Fn.(*ssa.Function); ok && isYield(f) {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

// jumpIndex returns the index of the closure's jump variable among its
// free variables, or -1.
func jumpIndex(fn *ssa.Function) int {
	for i, fv := range fn.FreeVars {
		if strings.HasPrefix(fv.Name(), "jump$") {
			return i
		}
	}
	return -1
}

// exitJump returns the constant that the return ret of a yield closure
// leaves in the jump variable: the last store to it in ret's block.
func exitJump(ret *ssa.Return, jump *ssa.FreeVar) (int64, bool) {
	instrs := ret.Block().Instrs
	for i := len(instrs) - 1; i >= 0; i-- {
		st, ok := instrs[i].(*ssa.Store)
		if !ok || st.Addr != jump {
			continue
		}
		if c, ok := st.Val.(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.Int {
			if k, exact := constant.Int64Val(c.Value); exact {
				return k, true
			}
		}
		return 0, false
	}
	return 0, false
}

// recordYieldExits keeps, for a yield closure, the join of its states
// at the returns that leave each jump value.
func recordYieldExits(fl *FuncLocks, rets map[*ssa.Return]*lstate) {
	j := jumpIndex(fl.Fn)
	if j < 0 {
		return
	}
	byJump := map[int64][]*lstate{}
	for ret, s := range rets {
		if k, ok := exitJump(ret, fl.Fn.FreeVars[j]); ok {
			byJump[k] = append(byJump[k], s)
		}
	}
	fl.yieldExits = map[int64]*lstate{}
	for k, states := range byJump {
		fl.yieldExits[k] = joinAll(states)
	}
}

// yieldEdgeOps returns the lock effects to apply on the edge succ of
// the If ending block b, when that If tests the jump variable of a
// range-over-func body created in fa's function for one of the values
// that the body leaves on its way out of the loop.
func (fa *funcAnalysis) yieldEdgeOps(b *ssa.BasicBlock, succ int) []op {
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok || succ != 0 {
		return nil
	}
	cmp, ok := ifi.Cond.(*ssa.BinOp)
	if !ok || cmp.Op != token.EQL {
		return nil
	}
	load, ok := cmp.X.(*ssa.UnOp)
	k, isConst := cmp.Y.(*ssa.Const)
	if !ok || load.Op != token.MUL || !isConst || k.Value == nil || k.Value.Kind() != constant.Int {
		return nil
	}
	jump, exact := constant.Int64Val(k.Value)
	if !exact || jump == 0 || jump == -1 {
		return nil // 0: the loop ran to its end; -1: inside the body
	}
	cell, ok := load.X.(*ssa.Alloc)
	if !ok || cell.Referrers() == nil {
		return nil
	}
	for _, ref := range *cell.Referrers() {
		mc, ok := ref.(*ssa.MakeClosure)
		if !ok {
			continue
		}
		body, ok := mc.Fn.(*ssa.Function)
		if !ok || !isYield(body) {
			continue
		}
		if j := jumpIndex(body); j < 0 || j >= len(mc.Bindings) || mc.Bindings[j] != cell {
			continue
		}
		fl := fa.r.funcs[body]
		if fl == nil || fl.yieldExits == nil {
			return nil
		}
		exit := fl.yieldExits[jump]
		if exit == nil {
			return nil
		}
		return fa.bodyExitOps(fl, exit, mc, ifi.Pos())
	}
	return nil
}

// bodyExitOps maps what a loop body's exit state says about locks onto
// the enclosing function, through the closure's free variables: locks
// released on every path out become releases, on some paths may-releases,
// and locks the body took and still holds become acquisitions.
func (fa *funcAnalysis) bodyExitOps(fl *FuncLocks, exit *lstate, mc *ssa.MakeClosure, pos token.Pos) []op {
	common := &ssa.CallCommon{Value: mc}
	var ops []op
	mapped := func(l Lock) (Lock, bool) {
		ref := fl.fa.refOf(l, nil)
		if ref.Kind != RefFreeVar && ref.Kind != RefGlobal {
			return Lock{}, false
		}
		return fa.mapRef(ref, common, pos), true
	}
	for _, l := range exit.rel {
		if m, ok := mapped(l); ok {
			ops = append(ops, op{kind: Release, lock: m, site: pos})
		}
	}
	for _, l := range exit.relEver {
		if hasLock(exit.rel, l.Key) {
			continue
		}
		if m, ok := mapped(l); ok {
			ops = append(ops, op{kind: mayReleaseOp, lock: m, site: pos})
		}
	}
	for _, l := range exit.must {
		if m, ok := mapped(l); ok {
			ops = append(ops, op{kind: Acquire, lock: m, site: pos})
		}
	}
	return ops
}
