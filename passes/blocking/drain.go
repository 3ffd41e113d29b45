package blocking

import (
	"go/token"
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
		if f := mapElemField(send.Chan); f != nil && !f.Exported() && f.Pkg() == a.pass.Pkg {
			if ok, seen := a.drainedElems[f]; seen {
				return ok
			}
			if a.drainedElems == nil {
				a.drainedElems = map[*types.Var]bool{}
			}
			a.drainedElems[f] = false // while scanning
			ok := a.scanDrainedElems(f)
			a.drainedElems[f] = ok
			return ok
		}
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
		if !a.drainedUnderLock(fn, fnSends[0], drains, &class) {
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

// mapElemField returns the map field whose element v is: the value of
// a range over the loaded field, or a lookup in it.
func mapElemField(v ssa.Value) *types.Var {
	switch x := v.(type) {
	case *ssa.Extract:
		switch t := x.Tuple.(type) {
		case *ssa.Next:
			if x.Index != 2 {
				return nil
			}
			if r, ok := t.Iter.(*ssa.Range); ok {
				return loadedMapField(r.X)
			}
		case *ssa.Lookup:
			if x.Index == 0 {
				return loadedMapField(t.X)
			}
		}
	case *ssa.Lookup:
		if !x.CommaOk {
			return loadedMapField(x.X)
		}
	}
	return nil
}

// loadedMapField returns the field a map value is loaded from (*p.f).
func loadedMapField(v ssa.Value) *types.Var {
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return nil
	}
	fa, ok := load.X.(*ssa.FieldAddr)
	if !ok {
		return nil
	}
	if _, isMap := load.Type().Underlying().(*types.Map); !isMap {
		return nil
	}
	return ssax.FieldOf(fa)
}

// scanDrainedElems is scanDrained for the channels a map field holds
// (the subscribers of a "latest value wins" publisher): every channel
// put into the map is made here with a buffer and handed out only
// receive-only, the elements are only closed, received from, drained
// or sent on, and each function that sends on one sends once, right
// after a non-blocking drain of the same element, with a lock of one
// class held over both.
//
//	ch := make(chan State, 1)
//	s.mu.Lock(); s.subs[id] = ch; s.mu.Unlock()
//	return ch // receive-only
//	...
//	s.mu.Lock()
//	for _, c := range s.subs {
//		select { case <-c: default: }
//		c <- st
//	}
//	s.mu.Unlock()
func (a *analyzer) scanDrainedElems(f *types.Var) bool {
	class := ""
	sends := 0
	for _, fn := range a.fns {
		var fnSends []ssa.Instruction
		var drains []*ssa.Select
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				fa, ok := instr.(*ssa.FieldAddr)
				if !ok || ssax.FieldOf(fa) != f {
					continue
				}
				for _, r := range *fa.Referrers() {
					switch u := r.(type) {
					case *ssa.Store:
						if u.Addr != fa {
							return false
						}
						// A whole new map: fine.
					case *ssa.UnOp:
						if u.Op != token.MUL {
							return false
						}
						ok := a.mapUses(u, &fnSends, &drains)
						if !ok {
							return false
						}
					case *ssa.DebugRef:
					default:
						return false
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
		if !a.drainedUnderLock(fn, fnSends[0], drains, &class) {
			return false
		}
		sends++
	}
	return sends > 0
}

// mapUses checks the uses of a loaded map of channels: ranges,
// lookups, deletes, len, and stores of buffered channels made here;
// the sends and non-blocking drains on its elements are collected.
func (a *analyzer) mapUses(m *ssa.UnOp, sends *[]ssa.Instruction, drains *[]*ssa.Select) bool {
	elemUses := func(e ssa.Value) bool {
		for _, r := range *e.Referrers() {
			switch u := r.(type) {
			case *ssa.DebugRef:
			case *ssa.Send:
				if u.Chan != e {
					return false // sent as a value
				}
				*sends = append(*sends, u)
			case *ssa.UnOp:
				if u.Op != token.ARROW {
					return false
				}
			case *ssa.Select:
				for _, st := range u.States {
					if st.Chan != e {
						continue
					}
					if st.Dir == types.SendOnly {
						if u.Blocking {
							return false
						}
					} else if !u.Blocking && len(u.States) == 1 {
						*drains = append(*drains, u)
					}
				}
			case *ssa.Call:
				if !chanBuiltin(u) {
					return false
				}
			default:
				return false
			}
		}
		return true
	}
	for _, r := range *m.Referrers() {
		switch u := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Range:
			for _, rr := range *u.Referrers() {
				next, ok := rr.(*ssa.Next)
				if !ok {
					return false
				}
				for _, nr := range *next.Referrers() {
					if ext, ok := nr.(*ssa.Extract); ok && ext.Index == 2 && !elemUses(ext) {
						return false
					}
				}
			}
		case *ssa.Lookup:
			if !u.CommaOk {
				if !elemUses(u) {
					return false
				}
				continue
			}
			for _, lr := range *u.Referrers() {
				if ext, ok := lr.(*ssa.Extract); ok && ext.Index == 0 && !elemUses(ext) {
					return false
				}
			}
		case *ssa.MapUpdate:
			if u.Map != m || !a.receiveOnlyMake(u.Value) {
				return false
			}
		case *ssa.Call:
			b, ok := u.Call.Value.(*ssa.Builtin)
			if !ok || b.Name() != "delete" && b.Name() != "len" {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// receiveOnlyMake reports whether v is a channel made here with a
// buffer, which its function may fill before sharing and hands out
// only receive-only.
func (a *analyzer) receiveOnlyMake(v ssa.Value) bool {
	mk, ok := v.(*ssa.MakeChan)
	if !ok || a.constSize(mk.Size) < 1 {
		return false
	}
	for _, r := range *mk.Referrers() {
		switch u := r.(type) {
		case *ssa.DebugRef, *ssa.MapUpdate:
		case *ssa.Send:
			if u.Chan != mk {
				return false
			}
		case *ssa.ChangeType:
			if ct, ok := u.Type().Underlying().(*types.Chan); !ok || ct.Dir() != types.RecvOnly {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// drainedUnderLock reports whether send, fn's one send on a channel,
// comes right after one of drains (a non-blocking receive from the same
// channel that runs on every path to it) with a lock held from the
// drain through the send, of the class *class names when it is set
// (every sender of the channel must use the same lock class; the first
// found sets it).
func (a *analyzer) drainedUnderLock(fn *ssa.Function, send ssa.Instruction, drains []*ssa.Select, class *string) bool {
	fl := a.ls.Func(fn)
	found := false
	for _, d := range drains {
		if !ssax.Dominates(d, send) || !ssax.SameLocation(d.States[0].Chan, sendChan(send)) {
			continue
		}
		for _, l := range fl.MustHeld(d) {
			if l.Anonymous() || l.Unknown || (*class != "" && l.Class != *class) {
				continue
			}
			for _, m := range fl.MustHeld(send) {
				if m.Key == l.Key {
					found, *class = true, l.Class
				}
			}
		}
	}
	return found
}
