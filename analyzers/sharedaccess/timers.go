package sharedaccess

import (
	"go/constant"
	"go/token"
	"time"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/goroutines"
)

// A timer made by time.AfterFunc with a duration too long to elapse and
// stopped at once is a parked callback: it runs only after a later
// Reset. Code of the function that made it, after the Stop, runs before
// the callback can start, unless the same function resets the timer:
//
//	c.timer = time.AfterFunc(math.MaxInt64, c.onSlowWrite)
//	c.timer.Stop()
//	c.started = make(chan struct{}) // not concurrent with onSlowWrite

// parkedDuration is the shortest AfterFunc delay taken for "never".
const parkedDuration = time.Hour

// parkedBefore reports whether s is such a parked AfterFunc and the
// instruction top of its function runs after the Stop.
func (st *state) parkedBefore(s *goroutines.Spawn, top ssa.Instruction) bool {
	call, ok := s.Site.(*ssa.Call)
	if s.Kind != goroutines.KindAfterFunc || !ok || len(call.Call.Args) != 2 || top == nil || top.Parent() != s.Parent {
		return false
	}
	d, ok := call.Call.Args[0].(*ssa.Const)
	if !ok || d.Value == nil || d.Value.Kind() != constant.Int {
		return false
	}
	if n, exact := constant.Int64Val(d.Value); exact && n < int64(parkedDuration) {
		return false
	}
	stopped := false
	for _, b := range s.Parent.Blocks {
		for _, in := range b.Instrs {
			c, ok := in.(*ssa.Call)
			if !ok || len(c.Call.Args) != 1 || !sameTimer(c.Call.Args[0], call) {
				continue
			}
			callee := c.Call.StaticCallee()
			if callee == nil {
				continue
			}
			switch syncapi.Func(callee).Kind {
			case syncapi.TimerReset:
				return false
			case syncapi.TimerStop:
				if st.reach.dominates(in, top, false) {
					stopped = true
				}
			}
		}
	}
	return stopped
}

// sameTimer reports whether v is the timer that the AfterFunc call made:
// the call itself, or a load of the field it was stored into.
func sameTimer(v ssa.Value, made *ssa.Call) bool {
	if v == made {
		return true
	}
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	fa, ok := load.X.(*ssa.FieldAddr)
	if !ok || made.Referrers() == nil {
		return false
	}
	for _, r := range *made.Referrers() {
		st, ok := r.(*ssa.Store)
		if !ok {
			continue
		}
		if fa2, ok := st.Addr.(*ssa.FieldAddr); ok && fa2.Field == fa.Field && sameBase(fa2.X, fa.X) {
			return true
		}
	}
	return false
}

// sameBase reports whether two pointers are one value or loads of one
// variable.
func sameBase(x, y ssa.Value) bool {
	if x == y {
		return true
	}
	lx, ok1 := x.(*ssa.UnOp)
	ly, ok2 := y.(*ssa.UnOp)
	return ok1 && ok2 && lx.Op == token.MUL && ly.Op == token.MUL && lx.X == ly.X
}
