package sharedaccess

import (
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
// answer, then clears the field):
//
//	func (p *P) loop() { for { select { case <-p.stopC: p.stopC <- struct{}{}; return ... } } }
//	func (p *P) Close() { p.mu.Lock(); p.stopC <- struct{}{}; <-p.stopC; p.stopC = nil; ... }
func (st *state) joinedBefore(u *faccess, accs []*faccess, guard string) bool {
	if u.write || u.fn.Parent() != nil || apiEntry(u.fn) || !st.onlyStarted(u.fn) {
		return false
	}
	for _, ch := range st.signalsAfter(u.fn, u.instr) {
		if !st.signalsGuarded(ch, u.fn, guard) {
			continue
		}
		ok := true
		for _, w := range accs {
			if !w.write || !w.shared || w.fn == u.fn {
				continue
			}
			if !st.startsAfter(w, u.fn) && !st.receivesBefore(w, ch) {
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
			if o := signalled(in); o != nil {
				cands[o] = true
			}
			if d, ok := in.(*ssa.Defer); ok {
				if o := closedBy(&d.Call); o != nil && st.reach.dominates(d, instr, false) {
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
		if !deferred[o] && signalsOnEveryPath(instr, o) {
			out = append(out, o)
		}
	}
	return out
}

// signalled returns the channel variable that instr sends on or closes.
func signalled(instr ssa.Instruction) types.Object {
	switch in := instr.(type) {
	case *ssa.Send:
		return ssax.ChanVar(in.Chan)
	case *ssa.Call:
		return closedBy(&in.Call)
	}
	return nil
}

// closedBy returns the channel variable that a call of close closes.
func closedBy(c *ssa.CallCommon) types.Object {
	if b, ok := c.Value.(*ssa.Builtin); ok && b.Name() == "close" && len(c.Args) == 1 {
		return ssax.ChanVar(c.Args[0])
	}
	return nil
}

// signalsOnEveryPath reports whether every path from instr to a return
// of its function passes a send on or close of ch after instr.
func signalsOnEveryPath(instr ssa.Instruction, ch types.Object) bool {
	b := instr.Block()
	after := false
	for _, in := range b.Instrs {
		if in == instr {
			after = true
			continue
		}
		if after && signalled(in) == ch {
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
			if signalled(in) == ch {
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
// package outside fn happens while the guard is held: none of them can
// answer a receive made under the guard.
func (st *state) signalsGuarded(ch types.Object, fn *ssa.Function, guard string) bool {
	if st.signals == nil {
		st.signals = map[types.Object][]ssa.Instruction{}
		for _, f := range st.ssa.SrcFuncs {
			for _, b := range f.Blocks {
				for _, in := range b.Instrs {
					o := signalled(in)
					if d, ok := in.(*ssa.Defer); ok {
						o = closedBy(&d.Call)
					}
					if o != nil {
						st.signals[o] = append(st.signals[o], in)
					}
				}
			}
		}
	}
	for _, in := range st.signals[ch] {
		f := in.Parent()
		if ssax.Origin(f) == ssax.Origin(fn) {
			continue
		}
		if _, ok := in.(*ssa.Defer); ok {
			return false // runs at return: after the guard may be released
		}
		held := false
		if fl := st.locks.Func(f); fl != nil {
			for _, l := range fl.MustHeld(in) {
				if sameLockClass(l.Class, guard) && !l.Read {
					held = true
				}
			}
		}
		if !held {
			return false
		}
	}
	return true
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
			if f, _ := goroutines.FuncOf(g.Call.Value); f != nil && ssax.Origin(f) == ssax.Origin(fn) && st.reach.dominates(w.instr, g, false) {
				return true
			}
		}
	}
	return false
}

// receivesBefore reports whether w's function receives from ch on every
// path to w.
func (st *state) receivesBefore(w *faccess, ch types.Object) bool {
	for _, o := range st.recvsBefore(w.fn, w.instr) {
		if o == ch {
			return true
		}
	}
	return false
}
