package blocking

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// drainedSend reports a send on a buffered channel field that cannot
// block because its function first empties the channel without waiting
// (select { case <-x.ch: default: }) and every sender of the package
// does the same under a lock of one class, held from the drain through
// the send: no other send can refill the slot in between (the "latest
// value wins" update channel of a balancer or a timer reset).
//
//	b.mu.Lock()
//	select { case <-b.updates: default: }
//	b.updates <- v
//	b.mu.Unlock()
func (a *analyzer) drainedSend(fn *ssa.Function, send *ssa.Send) bool {
	fa := ssax.FieldAddrOf(send.Chan)
	if fa == nil {
		return false
	}
	f := ssax.FieldOf(fa)
	if f == nil || f.Exported() || f.Pkg() != a.pass.Pkg {
		return false
	}
	if ok, seen := a.drained[f]; seen {
		return ok
	}
	if a.drained == nil {
		a.drained = map[*types.Var]bool{}
	}
	a.drained[f] = false // while scanning
	ok := a.scanDrained(f)
	a.drained[f] = ok
	return ok
}

// scanDrained checks every use of field f: each store is a make with a
// buffer, and each function that sends on it sends once, right after a
// non-blocking drain, with a lock of one class held over both.
func (a *analyzer) scanDrained(f *types.Var) bool {
	// Every use of the field in sight: no copy of the channel goes
	// where a send could hide.
	var uses ssax.FieldChan
	for _, fn := range a.fns {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if fa, ok := instr.(*ssa.FieldAddr); ok && ssax.FieldOf(fa) == f {
					uses.AddAddr(fa)
				}
			}
		}
	}
	if uses.Unknown || len(uses.Getters) > 0 {
		return false
	}
	class := ""
	sends := 0
	for _, fn := range a.fns {
		var fnSends []ssa.Instruction
		var drains []*ssa.Select
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.Store:
					if fa, ok := x.Addr.(*ssa.FieldAddr); ok && ssax.FieldOf(fa) == f {
						mk, ok := x.Val.(*ssa.MakeChan)
						if !ok || a.constSize(mk.Size) < 1 {
							return false
						}
					}
				case *ssa.Send:
					if ssax.FieldOfValue(x.Chan) == f {
						fnSends = append(fnSends, x)
					}
				case *ssa.Select:
					for _, st := range x.States {
						if ssax.FieldOfValue(st.Chan) != f {
							continue
						}
						if st.Dir == types.SendOnly {
							if x.Blocking {
								fnSends = append(fnSends, x)
							}
						} else if !x.Blocking && len(x.States) == 1 {
							drains = append(drains, x)
						}
					}
				}
			}
		}
		if len(fnSends) == 0 {
			continue
		}
		if len(fnSends) > 1 {
			return false
		}
		s := fnSends[0]
		fl := a.ls.Func(fn)
		found := false
		for _, d := range drains {
			if !ssax.Dominates(d, s) || !ssax.SameLocation(d.States[0].Chan, sendChan(s)) {
				continue
			}
			for _, l := range fl.MustHeld(d) {
				if l.Anonymous() || l.Unknown || (class != "" && l.Class != class) {
					continue
				}
				for _, m := range fl.MustHeld(s) {
					if m.Key == l.Key {
						found, class = true, l.Class
					}
				}
			}
		}
		if !found {
			return false
		}
		sends++
	}
	return sends > 0
}

// sendChan returns the channel a send or a select's send case uses.
func sendChan(instr ssa.Instruction) ssa.Value {
	switch x := instr.(type) {
	case *ssa.Send:
		return x.Chan
	case *ssa.Select:
		for _, st := range x.States {
			if st.Dir == types.SendOnly {
				return st.Chan
			}
		}
	}
	return nil
}
