package ssax

import (
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/syncapi"
)

// StoppedTimer matches if !t.Stop() (or if t.Stop() == false): it
// returns the timer value and the block entered when Stop reports false.
func StoppedTimer(ifi *ssa.If) (ssa.Value, *ssa.BasicBlock) {
	call, onFalse := callTest(ifi)
	if call == nil || syncapi.Func(call.Call.StaticCallee()).Kind != syncapi.TimerStop || len(call.Call.Args) != 1 {
		return nil, nil
	}
	return call.Call.Args[0], onFalse
}

// callTest matches if !f() (or if f()): it returns the call tested and
// the block entered when it returns false.
func callTest(ifi *ssa.If) (*ssa.Call, *ssa.BasicBlock) {
	cond := ifi.Cond
	negated := false
	if u, ok := cond.(*ssa.UnOp); ok && u.Op == token.NOT {
		cond, negated = u.X, true
	}
	call, ok := cond.(*ssa.Call)
	if !ok {
		return nil, nil
	}
	if negated {
		return call, ifi.Block().Succs[0]
	}
	return call, ifi.Block().Succs[1]
}

// IsTimerC reports whether v is a load of the C field of timer (or of a
// timer value that SameLocation takes for it).
func IsTimerC(v ssa.Value, timer ssa.Value) bool {
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	fa, ok := load.X.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	f := FieldOf(fa)
	return f != nil && f.Name() == "C" && SameLocation(fa.X, timer)
}

// StopDrain reports whether recv is the drain of the idiom
//
//	if !t.Stop() {
//		<-t.C
//	}
//
// in the block entered when Stop reports false: the receive of the
// value the timer sent before Stop could stop it. (Whether the value
// may already have been received elsewhere is goroutineleak's
// timer-drain question.)
func StopDrain(recv *ssa.UnOp) bool {
	if recv.Op != token.ARROW {
		return false
	}
	b := recv.Block()
	if b == nil || len(b.Preds) != 1 {
		return false
	}
	pred := b.Preds[0]
	ifi, ok := pred.Instrs[len(pred.Instrs)-1].(*ssa.If)
	if !ok {
		return false
	}
	timer, onFalse := StoppedTimer(ifi)
	if timer != nil {
		return onFalse == b && IsTimerC(recv.X, timer)
	}
	return abstractStopDrain(ifi, b, recv.X)
}

// abstractStopDrain matches the drain idiom on a timer behind a test
// clock's abstraction, in the block b entered when the stop reports
// false:
//
//	if !t.Stop() { <-t.C() }   // t an interface with Stop() bool
//	c, stop := clk.NewTimer(d)
//	if !stop() { <-c }         // channel and stop from one call
func abstractStopDrain(ifi *ssa.If, b *ssa.BasicBlock, ch ssa.Value) bool {
	call, onFalse := callTest(ifi)
	if call == nil || len(call.Call.Args) != 0 || onFalse != b {
		return false
	}
	if call.Call.IsInvoke() {
		// t.Stop() and t.C() (or t.Chan()) on one interface value.
		if call.Call.Method.Name() != "Stop" {
			return false
		}
		c, ok := ch.(*ssa.Call)
		if !ok || !c.Call.IsInvoke() || c.Call.Value != call.Call.Value {
			return false
		}
		name := c.Call.Method.Name()
		return name == "C" || name == "Chan"
	}
	// stop() and c extracted from the results of one call.
	stop, ok := call.Call.Value.(*ssa.Extract)
	c, ok2 := ch.(*ssa.Extract)
	return ok && ok2 && stop.Tuple == c.Tuple && stop.Index != c.Index
}
