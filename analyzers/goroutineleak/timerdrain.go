package goroutineleak

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
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
			timer, onFalse := stoppedTimer(ifi)
			if timer == nil {
				continue
			}
			drain := plainTimerRecv(onFalse, timer)
			if drain == nil {
				continue
			}
			if at, ok := emptiedBefore(fn, timer, drain); ok {
				c.pass.Report(analysis.Diagnostic{
					Pos:      drain.Pos(),
					Category: CatTimerDrain,
					Message: fmt.Sprintf("goroutine leak: the drain <-%s after a failed Stop blocks for ever once the timer's value has been received, as it is at %s: Stop then returns false with the channel empty (drain in a select with a default case, or not at all on Go 1.23 and later)",
						c.recvOperand(drain, timer), c.posString(at.Pos())),
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

func (c *checker) posString(pos token.Pos) string {
	p := c.pass.Fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// stoppedTimer matches if !t.Stop() (or if t.Stop() == false): it
// returns the timer value and the block entered when Stop reports false.
func stoppedTimer(ifi *ssa.If) (ssa.Value, *ssa.BasicBlock) {
	cond := ifi.Cond
	negated := false
	if u, ok := cond.(*ssa.UnOp); ok && u.Op == token.NOT {
		cond, negated = u.X, true
	}
	call, ok := cond.(*ssa.Call)
	if !ok || !isTimerMethod(call.Call.StaticCallee(), "Stop") || len(call.Call.Args) != 1 {
		return nil, nil
	}
	succ := ifi.Block().Succs[1] // Stop returned false
	if negated {
		succ = ifi.Block().Succs[0]
	}
	return call.Call.Args[0], succ
}

func isTimerMethod(fn *ssa.Function, name string) bool {
	if fn == nil || fn.Name() != name || fn.Signature.Recv() == nil {
		return false
	}
	p, ok := types.Unalias(fn.Signature.Recv().Type()).(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "time" && n.Obj().Name() == "Timer"
}

// plainTimerRecv returns the first plain receive from timer.C in block
// b, or nil.
func plainTimerRecv(b *ssa.BasicBlock, timer ssa.Value) *ssa.UnOp {
	for _, instr := range b.Instrs {
		if u, ok := instr.(*ssa.UnOp); ok && u.Op == token.ARROW && isTimerC(u.X, timer) {
			return u
		}
	}
	return nil
}

// isTimerC reports whether v is a load of the C field of timer (or of a
// timer value that sameTimer takes for it).
func isTimerC(v ssa.Value, timer ssa.Value) bool {
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	fa, ok := load.X.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	f := ssax.FieldOf(fa)
	return f != nil && f.Name() == "C" && sameTimer(fa.X, timer)
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
	// A Reset re-arms the timer; running its definition again, or a
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
		return ok && isTimerMethod(call.Call.StaticCallee(), "Reset") && len(call.Call.Args) > 0 && sameTimer(call.Call.Args[0], timer)
	}
	for _, b := range fn.Blocks {
		for i, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.UnOp:
				if x == drain || x.Op != token.ARROW || !isTimerC(x.X, timer) {
					continue
				}
				if ssax.ReachesAvoiding(b, i+1, isDrain, isReset) {
					return x, true
				}
			case *ssa.Select:
				for k, st := range x.States {
					if st.Dir != types.RecvOnly || !isTimerC(st.Chan, timer) {
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
