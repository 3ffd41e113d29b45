package goroutineleak

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
)

// CatTimerDrain is the category of a drain of a timer's channel after a
// failed Stop that can find the channel already emptied.
const CatTimerDrain = "timer-drain"

// checkTimerDrains reports the idiom
//
//	if !t.Stop() {
//		<-t.C
//	}
//
// when the same function also receives from t.C (a select case of an
// event loop) and a path leads from that receive to the drain without a
// Reset of the timer. Stop returns false once the timer has fired, and
// the value it sent has been received already: the drain then waits for
// a value that never comes. (Since Go 1.23 Stop also discards an unread
// value and returns true, so the drain only ever runs when it blocks.)
func (c *checker) checkTimerDrains(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ifi, ok := instr.(*ssa.If)
			if !ok {
				continue
			}
			timer, onFalse := ssax.StoppedTimer(ifi)
			if timer == nil {
				continue
			}
			drain := plainTimerRecv(onFalse, timer)
			if drain == nil {
				continue
			}
			if at, ok := emptiedBefore(fn, timer, drain); ok {
				c.report(analysis.Diagnostic{
					Pos:      drain.Pos(),
					Category: CatTimerDrain,
					Message: fmt.Sprintf("goroutine leak: the drain <-%s after a failed Stop blocks for ever once the timer's value has been received, as it is on the path to it: Stop then returns false with the channel empty (drain in a select with a default case, or not at all on Go 1.23 and later)",
						c.recvOperand(drain, timer)),
					Related: []analysis.RelatedInformation{{Pos: at.Pos(), Message: "the timer's value is received here"}},
				})
			}
		}
	}
}

// recvOperand renders the operand of the receive u as written (t.C), or
// from the timer's SSA value when the syntax is not found.
func (c *checker) recvOperand(u *ssa.UnOp, timer ssa.Value) string {
	for _, f := range c.pass.Files {
		if f.FileStart > u.Pos() || u.Pos() > f.FileEnd {
			continue
		}
		var found ast.Expr
		ast.Inspect(f, func(n ast.Node) bool {
			if found != nil || n == nil || n.Pos() > u.Pos() || n.End() <= u.Pos() {
				return false
			}
			if ue, ok := n.(*ast.UnaryExpr); ok && ue.Op == token.ARROW && ue.OpPos == u.Pos() {
				found = ue.X
				return false
			}
			return true
		})
		if found != nil {
			return types.ExprString(found)
		}
	}
	return timerName(timer) + ".C"
}

// plainTimerRecv returns the first plain receive from timer.C in block
// b, or nil.
func plainTimerRecv(b *ssa.BasicBlock, timer ssa.Value) *ssa.UnOp {
	for _, instr := range b.Instrs {
		if u, ok := instr.(*ssa.UnOp); ok && u.Op == token.ARROW && ssax.IsTimerC(u.X, timer) {
			return u
		}
	}
	return nil
}

// sameTimer reports whether two values denote one timer: the same value,
// or loads of one variable or field (s.timer twice, through the cell of
// a captured s).
func sameTimer(x, y ssa.Value) bool { return ssax.SameLocation(x, y) }

// emptiedBefore finds another receive from timer.C in fn, plain or a
// select case, from which a path reaches the drain without calling
// Reset on the timer.
func emptiedBefore(fn *ssa.Function, timer ssa.Value, drain *ssa.UnOp) (ssa.Instruction, bool) {
	isDrain := func(in ssa.Instruction) bool { return in == drain }
	// A Reset re-arms the timer (here, or in a function literal called
	// here that captures it); running its definition again, or a
	// store to the variable or field it is loaded from, makes another.
	def, _ := timer.(ssa.Instruction)
	var addr ssa.Value
	if load, ok := timer.(*ssa.UnOp); ok && load.Op == token.MUL {
		switch load.X.(type) {
		case *ssa.FieldAddr, *ssa.Alloc, *ssa.Global:
			addr, def = load.X, nil // reading it again is the same timer
		}
	}
	isReset := func(in ssa.Instruction) bool {
		if in == def {
			return true
		}
		if st, ok := in.(*ssa.Store); ok && addr != nil && ssax.SameLocation(st.Addr, addr) {
			return true
		}
		call, ok := in.(*ssa.Call)
		if !ok {
			return false
		}
		if syncapi.Func(call.Call.StaticCallee()).Kind == syncapi.TimerReset && len(call.Call.Args) > 0 && sameTimer(call.Call.Args[0], timer) {
			return true
		}
		return closureResets(call, timer)
	}
	for _, b := range fn.Blocks {
		for i, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.UnOp:
				if x == drain || x.Op != token.ARROW || !ssax.IsTimerC(x.X, timer) {
					continue
				}
				if ssax.ReachesAvoiding(b, i+1, isDrain, isReset) {
					return x, true
				}
			case *ssa.Select:
				for k, st := range x.States {
					if st.Dir != types.RecvOnly || !ssax.IsTimerC(st.Chan, timer) {
						continue
					}
					cb, ok := ssax.CaseBlock(x, k)
					if ok && ssax.ReachesAvoiding(cb, 0, isDrain, isReset) {
						return x, true
					}
				}
			}
		}
	}
	return nil, false
}

// closureResets reports a call of a function literal that resets the
// timer it captures (a scheduleNext helper that computes the next time
// and calls t.Reset).
func closureResets(call *ssa.Call, timer ssa.Value) bool {
	mc, ok := call.Call.Value.(*ssa.MakeClosure)
	if !ok {
		return false
	}
	body, ok := mc.Fn.(*ssa.Function)
	if !ok {
		return false
	}
	for _, b := range body.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(*ssa.Call)
			if !ok || syncapi.Func(c.Call.StaticCallee()).Kind != syncapi.TimerReset || len(c.Call.Args) == 0 {
				continue
			}
			recv := c.Call.Args[0]
			if load, ok := recv.(*ssa.UnOp); ok && load.Op == token.MUL {
				recv = load.X // a captured variable's cell
			}
			for i, fv := range body.FreeVars {
				if fv != recv || i >= len(mc.Bindings) {
					continue
				}
				bound := mc.Bindings[i]
				if sameTimer(bound, timer) {
					return true
				}
				if load, ok := timer.(*ssa.UnOp); ok && load.Op == token.MUL && load.X == bound {
					return true
				}
			}
		}
	}
	return false
}

// timerName renders the timer for a message: t, or s.timer.
func timerName(v ssa.Value) string {
	if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
		if fa, ok := load.X.(*ssa.FieldAddr); ok {
			if f := ssax.FieldOf(fa); f != nil {
				return timerName(fa.X) + "." + f.Name()
			}
		}
		if a, ok := load.X.(*ssa.Alloc); ok && a.Comment != "" {
			return a.Comment
		}
	}
	if p, ok := v.(*ssa.Parameter); ok {
		return p.Name()
	}
	return "the timer"
}
