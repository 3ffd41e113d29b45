package lockset

import (
	"go/constant"
	"go/token"
	"sort"
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
// at the returns that leave each jump value, and whether every return
// left a known one.
func recordYieldExits(fl *FuncLocks, rets map[*ssa.Return]*lstate) {
	j := jumpIndex(fl.Fn)
	if j < 0 {
		return
	}
	byJump := map[int64][]*lstate{}
	complete := true
	for _, b := range fl.Fn.Blocks { // block order: joins in a stable order
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		s, reached := rets[ret]
		if !ok || !reached {
			continue
		}
		if k, ok := exitJump(ret, fl.Fn.FreeVars[j]); ok {
			byJump[k] = append(byJump[k], s)
		} else {
			complete = false
		}
	}
	fl.yieldExits = map[int64]*lstate{}
	for k, states := range byJump {
		fl.yieldExits[k] = joinAll(states)
	}
	fl.yieldComplete = complete
}

// A dispatch is one test of the jump variable after the iterator call:
// the root tests jump == 0 (the loop ran to its end); the blocks down
// its false edge test jump == K for the exits that leave to a place of
// their own (a return), and what is left falls through to the loop's
// end (a break). Each edge carries the set of jump values possible on
// it.
type dispatch struct {
	root  *ssa.BasicBlock
	body  *FuncLocks
	mc    *ssa.MakeClosure
	sets  [2][]int64 // jump values on the true and the false edge
	exact [2]bool    // the edge carries exactly sets (else: leave the state alone)
}

// jumpTest returns the cell of a range-over-func jump variable that the
// If ending b compares with a constant, and the constant.
func jumpTest(b *ssa.BasicBlock) (*ssa.Alloc, int64, bool) {
	if len(b.Instrs) == 0 {
		return nil, 0, false
	}
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return nil, 0, false
	}
	cmp, ok := ifi.Cond.(*ssa.BinOp)
	if !ok || cmp.Op != token.EQL {
		return nil, 0, false
	}
	load, ok := cmp.X.(*ssa.UnOp)
	k, isConst := cmp.Y.(*ssa.Const)
	if !ok || load.Op != token.MUL || !isConst || k.Value == nil || k.Value.Kind() != constant.Int {
		return nil, 0, false
	}
	v, exact := constant.Int64Val(k.Value)
	cell, ok := load.X.(*ssa.Alloc)
	if !exact || !ok {
		return nil, 0, false
	}
	return cell, v, true
}

// yieldOf returns the range-over-func body whose jump variable is cell,
// with its MakeClosure.
func yieldOf(cell *ssa.Alloc) (*ssa.Function, *ssa.MakeClosure) {
	if cell.Referrers() == nil {
		return nil, nil
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
		if j := jumpIndex(body); j >= 0 && j < len(mc.Bindings) && mc.Bindings[j] == cell {
			return body, mc
		}
	}
	return nil, nil
}

// dispatches finds fa's jump tests of range-over-func loops whose body
// was analysed with known exits.
func (fa *funcAnalysis) dispatches() map[*ssa.BasicBlock]*dispatch {
	if fa.disp != nil {
		return fa.disp
	}
	fa.disp = map[*ssa.BasicBlock]*dispatch{}
	for _, b := range fa.fn.Blocks {
		cell, k, ok := jumpTest(b)
		if !ok || k != 0 {
			continue
		}
		body, mc := yieldOf(cell)
		fl := fa.r.funcs[body]
		if fl == nil || fl.yieldExits == nil || !fl.yieldComplete {
			continue
		}
		var rest []int64
		for k := range fl.yieldExits {
			if k != 0 && k != -1 {
				rest = append(rest, k)
			}
		}
		sort.Slice(rest, func(i, j int) bool { return rest[i] < rest[j] })
		root := &dispatch{root: b, body: fl, mc: mc}
		root.sets[1], root.exact[1] = rest, true
		fa.disp[b] = root
		// Down the false edges: one test per exit with a target of its own.
		for e := b.Succs[1]; ; {
			c2, k2, ok := jumpTest(e)
			if !ok || c2 != cell || fa.disp[e] != nil {
				break
			}
			var left []int64
			for _, x := range rest {
				if x != k2 {
					left = append(left, x)
				}
			}
			d := &dispatch{root: b, body: fl, mc: mc}
			if _, known := fl.yieldExits[k2]; known {
				d.sets[0] = []int64{k2}
			}
			d.exact[0] = true
			d.sets[1], d.exact[1] = left, true
			fa.disp[e] = d
			rest = left
			e = e.Succs[1]
		}
	}
	return fa.disp
}

// dispatchEdge returns the state on edge succ of b when b tests a
// range-over-func jump variable: the state before the tests, with the
// loop body's exits for each jump value possible on the edge applied,
// joined; nil for an edge that no exit takes. It reports false when b
// is no such test.
func (fa *funcAnalysis) dispatchEdge(b *ssa.BasicBlock, out *lstate, succ int) (*lstate, bool) {
	d := fa.dispatches()[b]
	if d == nil || !d.exact[succ] {
		if d != nil && b == d.root {
			fa.dispBase[b] = out
		}
		return nil, false
	}
	base := out
	if b == d.root {
		fa.dispBase[b] = out
	} else if base = fa.dispBase[d.root]; base == nil {
		return nil, false
	}
	if base == nil {
		return nil, true // not reached
	}
	var states []*lstate
	for _, k := range d.sets[succ] {
		s := base
		for _, o := range fa.bodyExitOps(d.body, d.body.yieldExits[k], d.mc, d.mc.Pos()) {
			s = apply(s, o)
		}
		states = append(states, s)
	}
	return joinAll(states), true
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
