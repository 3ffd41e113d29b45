package sharedaccess

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/passes/goroutines"
)

// joinedBefore reports whether the unguarded read u, in a goroutine
// body that only go statements start, is ordered before every guarded
// write of the field by a hand-shake: on every path from u to its
// return the goroutine sends on or closes a channel C that others send
// on or close only while they hold the guard, and each write either
// comes before a go statement that starts the goroutine or after a
// receive from C (a Close that signals the loop to stop, waits for its
// answer, then clears the field). Other goroutines, each started once
// and signalling C once without the guard, are allowed when the write
// comes after one receive from C for each of them as well:
//
//	func (p *P) loop() { for { select { case <-p.stopC: p.stopC <- struct{}{}; return ... } } }
//	func (p *P) Close() { p.mu.Lock(); p.stopC <- struct{}{}; <-p.stopC; p.stopC = nil; ... }
func (st *state) joinedBefore(u *faccess, accs []*faccess, guard string) bool {
	if u.write || u.fn.Parent() != nil || apiEntry(u.fn) || !st.onlyStarted(u.fn) {
		return false
	}
	for _, ch := range st.signalsAfter(u.fn, u.instr) {
		rivals, ok := st.signalsGuarded(ch, u.fn, guard)
		if !ok {
			continue
		}
		for _, w := range accs {
			if !w.write || !w.shared || w.fn == u.fn {
				continue
			}
			if !st.startsAfter(w, u.fn) && st.receivesBefore(w, ch) <= rivals {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// onlyStarted reports whether fn runs only as the body of goroutines
// that go statements start: it is never called directly.
func (st *state) onlyStarted(fn *ssa.Function) bool {
	fn = ssax.Origin(fn)
	started := false
	for _, s := range st.g.Spawns {
		if s.Entry == nil || ssax.Origin(s.Entry) != fn {
			continue
		}
		if s.Kind != goroutines.KindGo {
			return false
		}
		started = true
	}
	if !started {
		return false
	}
	callers, known := st.callersOf(fn)
	return known && len(callers) == 0
}

// signalsAfter returns the channels that fn sends on or closes on every
// path from instr to a return (a deferred close counts when its defer
// statement comes before instr).
func (st *state) signalsAfter(fn *ssa.Function, instr ssa.Instruction) []types.Object {
	cands := map[types.Object]bool{}
	deferred := map[types.Object]bool{}
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if o := st.signalled(in); o != nil {
				cands[o] = true
			}
			if d, ok := in.(*ssa.Defer); ok && st.reach.dominates(d, instr, false) {
				if o := st.closedBy(&d.Call); o != nil {
					deferred[o] = true
				}
				for _, o := range st.deferredSignals(&d.Call) {
					deferred[o] = true
				}
			}
		}
	}
	var out []types.Object
	for o := range deferred {
		out = append(out, o)
	}
	for o := range cands {
		if !deferred[o] && st.signalsOnEveryPath(instr, o) {
			out = append(out, o)
		}
	}
	return out
}

// deferredSignals returns the channels that a deferred function
// literal sends on or closes on every path through its body
// (defer func() { p.finished <- struct{}{} }()).
func (st *state) deferredSignals(c *ssa.CallCommon) []types.Object {
	mc, ok := c.Value.(*ssa.MakeClosure)
	if !ok {
		return nil
	}
	fn, ok := mc.Fn.(*ssa.Function)
	if !ok || len(fn.Blocks) == 0 || fn.Recover != nil {
		return nil
	}
	var out []types.Object
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			o := st.signalled(in)
			if o == nil {
				continue
			}
			// On every path: the signal's block dominates every return.
			every := true
			for _, r := range fn.Blocks {
				if _, ret := r.Instrs[len(r.Instrs)-1].(*ssa.Return); ret && !b.Dominates(r) {
					every = false
				}
			}
			if every {
				out = append(out, o)
			}
		}
	}
	return out
}

// signalled returns the channel variable that instr sends on or closes.
func (st *state) signalled(instr ssa.Instruction) types.Object {
	switch in := instr.(type) {
	case *ssa.Send:
		return st.chanObj(in.Chan)
	case *ssa.Call:
		return st.closedBy(&in.Call)
	}
	return nil
}

// closedBy returns the channel variable that a call of close closes.
func (st *state) closedBy(c *ssa.CallCommon) types.Object {
	if b, ok := c.Value.(*ssa.Builtin); ok && b.Name() == "close" && len(c.Args) == 1 {
		return st.chanObj(c.Args[0])
	}
	return nil
}

// chanObj names the channel v: the field or global it is loaded from,
// or, for a channel received from such a channel F (a reply channel
// handed over through a quit channel), the stand-in for "a channel
// received from F" (replyChan).
func (st *state) chanObj(v ssa.Value) types.Object {
	if o := ssax.ChanVar(v); o != nil {
		return o
	}
	var from ssa.Value
	switch x := v.(type) {
	case *ssa.UnOp:
		if x.Op == token.ARROW {
			from = x.X
		}
	case *ssa.Extract:
		if sel, ok := x.Tuple.(*ssa.Select); ok {
			from = selectRecvChan(sel, x.Index)
		}
	}
	if from == nil {
		return nil
	}
	if f := ssax.ChanVar(from); f != nil {
		return st.replyChan(f)
	}
	return nil
}

// selectRecvChan returns the channel whose received value a select's
// result tuple holds at index i: receiving states fill indexes 2, 3, …
// in order.
func selectRecvChan(sel *ssa.Select, i int) ssa.Value {
	k := 2
	for _, s := range sel.States {
		if s.Dir != types.RecvOnly {
			continue
		}
		if k == i {
			return s.Chan
		}
		k++
	}
	return nil
}

// replyChan returns the stand-in object for the channels received from
// channel variable f (one per f).
func (st *state) replyChan(f types.Object) types.Object {
	if o, ok := st.replies[f]; ok {
		return o
	}
	if st.replies == nil {
		st.replies = map[types.Object]types.Object{}
	}
	var elem types.Type = types.Typ[types.Invalid]
	if c, ok := f.Type().Underlying().(*types.Chan); ok {
		elem = c.Elem()
	}
	o := types.NewVar(f.Pos(), f.Pkg(), f.Name()+" (received)", elem)
	st.replies[f] = o
	return o
}

// sentThrough returns the stand-in for "a channel received from F" for
// a channel value that instr's function sends on a channel variable F
// (`r.quitc <- q; <-q`), or nil.
func (st *state) sentThrough(q ssa.Value) types.Object {
	refs := q.Referrers()
	if refs == nil {
		return nil
	}
	for _, r := range *refs {
		switch s := r.(type) {
		case *ssa.Send:
			if s.X == q {
				if f := ssax.ChanVar(s.Chan); f != nil {
					return st.replyChan(f)
				}
			}
		case *ssa.Select:
			for _, c := range s.States {
				if c.Dir == types.SendOnly && c.Send == q {
					if f := ssax.ChanVar(c.Chan); f != nil {
						return st.replyChan(f)
					}
				}
			}
		}
	}
	return nil
}

// signalsOnEveryPath reports whether every path from instr to a return
// of its function passes a send on or close of ch after instr.
func (st *state) signalsOnEveryPath(instr ssa.Instruction, ch types.Object) bool {
	b := instr.Block()
	after := false
	for _, in := range b.Instrs {
		if in == instr {
			after = true
			continue
		}
		if after && st.signalled(in) == ch {
			return true
		}
	}
	seen := map[*ssa.BasicBlock]bool{}
	var escapes func(b *ssa.BasicBlock) bool
	escapes = func(b *ssa.BasicBlock) bool {
		if seen[b] {
			return false
		}
		seen[b] = true
		for _, in := range b.Instrs {
			if st.signalled(in) == ch {
				return false
			}
			if _, ok := in.(*ssa.Return); ok {
				return true
			}
		}
		for _, s := range b.Succs {
			if escapes(s) {
				return true
			}
		}
		return false
	}
	for _, s := range b.Succs {
		if escapes(s) {
			return false
		}
	}
	// A block that ends the function without a successor (a return in
	// instr's own block) escapes too.
	for _, in := range b.Instrs[len(b.Instrs)-1:] {
		if _, ok := in.(*ssa.Return); ok {
			return false
		}
	}
	return true
}

// signalsGuarded reports whether every send on and close of ch in the
// package outside fn happens while the guard is held (none of them can
// answer a receive made under the guard) or is the one send of another
// goroutine started once; rivals counts those goroutines, whose sends
// a waiter must take as well before it has surely taken fn's.
func (st *state) signalsGuarded(ch types.Object, fn *ssa.Function, guard string) (rivals int, ok bool) {
	if st.signals == nil {
		st.signals = map[types.Object][]ssa.Instruction{}
		for _, f := range st.ssa.SrcFuncs {
			for _, b := range f.Blocks {
				for _, in := range b.Instrs {
					o := st.signalled(in)
					if d, ok := in.(*ssa.Defer); ok {
						o = st.closedBy(&d.Call)
					}
					if o != nil {
						st.signals[o] = append(st.signals[o], in)
					}
				}
			}
		}
	}
	seen := map[*ssa.Function]bool{}
	for _, in := range st.signals[ch] {
		f := in.Parent()
		top := f
		for top.Parent() != nil {
			top = top.Parent() // a deferred function literal of fn is fn's own
		}
		if ssax.Origin(f) == ssax.Origin(fn) || ssax.Origin(top) == ssax.Origin(fn) {
			continue
		}
		if _, ok := in.(*ssa.Defer); ok {
			return 0, false // runs at return: after the guard may be released
		}
		held := false
		if fl := st.locks.Func(f); fl != nil {
			for _, l := range fl.MustHeld(in) {
				if sameLockClass(l.Class, guard) && !l.Read {
					held = true
				}
			}
		}
		if held {
			continue
		}
		// A goroutine of its own that sends once (a close could be
		// received any number of times): the waiter must take its
		// signal too.
		if _, send := in.(*ssa.Send); !send || f.Parent() != nil || st.g.InLoop(in.Block()) || !st.startedOnce(f) {
			return 0, false
		}
		if !seen[f] {
			seen[f] = true
			rivals++
		}
	}
	return rivals, true
}

// startedOnce reports whether fn runs only as the body of one go
// statement, outside any loop of its function, and is never called
// directly.
func (st *state) startedOnce(fn *ssa.Function) bool {
	if !st.onlyStarted(fn) {
		return false
	}
	n := 0
	for _, s := range st.g.Spawns {
		if s.Entry == nil || ssax.Origin(s.Entry) != ssax.Origin(fn) {
			continue
		}
		n++
		if s.Site == nil || st.g.InLoop(s.Site.Block()) {
			return false
		}
	}
	return n == 1
}

// startsAfter reports whether the write w comes before, on every path,
// a go statement in its function that starts fn.
func (st *state) startsAfter(w *faccess, fn *ssa.Function) bool {
	if st.g.InLoop(w.instr.Block()) {
		return false // in a loop, the write also follows the last round's start
	}
	for _, b := range w.fn.Blocks {
		for _, in := range b.Instrs {
			g, ok := in.(*ssa.Go)
			if !ok {
				continue
			}
			if f, _ := ssax.FuncOf(g.Call.Value); f != nil && ssax.Origin(f) == ssax.Origin(fn) && st.reach.dominates(w.instr, g, false) {
				return true
			}
		}
	}
	return false
}

// receivesBefore counts the receives from ch that w's function makes
// on every path to w.
func (st *state) receivesBefore(w *faccess, ch types.Object) int {
	n := 0
	for _, o := range st.recvsBefore(w.fn, w.instr) {
		if o == ch {
			n++
		}
	}
	return n
}
