package sharedaccess

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// A field written and then published by closing a channel, and read
// only after a receive from that channel, needs no lock at the read:
// the close happens before the receive that it completes. The shape
// is common in teardown code:
//
//	func (s *Session) Close() { s.mu.Lock(); s.err = errClosed; s.mu.Unlock(); close(s.done) }
//	func (s *Session) Accept() error { <-s.done; return s.err }
//
// The receive must complete only by a close, so the package never
// sends on the channel; every write to the field must be followed, in
// its function or in a function it calls, by a close of the channel.

// publishedByClose reports whether the read u follows a receive from a
// channel field or global that every write of accs precedes a close of.
func (st *state) publishedByClose(u *faccess, accs []*faccess) bool {
	if u.write {
		return false
	}
	for _, ch := range st.recvsBefore(u.fn, u.instr) {
		if st.sentOn(ch) {
			continue
		}
		ok := true
		for _, w := range accs {
			if w.write && w.shared && !st.closesAfter(w.fn, w.instr, ch, 2) {
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

// recvsBefore returns the channels that fn receives from on every path
// to instr: plain receives in dominating blocks, and the select case
// whose branch dominates instr.
func (st *state) recvsBefore(fn *ssa.Function, instr ssa.Instruction) []types.Object {
	var out []types.Object
	b := instr.Block()
	for d := b; d != nil; d = d.Idom() {
		for _, in := range d.Instrs {
			if d == b && in == instr {
				break
			}
			if u, ok := in.(*ssa.UnOp); ok && u.Op == token.ARROW {
				if o := ssax.ChanVar(u.X); o != nil {
					out = append(out, o)
				} else if o := st.sentThrough(u.X); o != nil {
					out = append(out, o) // the answer on a reply channel handed over
				}
			}
		}
	}
	// Select cases: the receive happened when its case block dominates.
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			sel, ok := in.(*ssa.Select)
			if !ok {
				continue
			}
			for i, st := range sel.States {
				if st.Dir != types.RecvOnly {
					continue
				}
				if cb, found := ssax.CaseBlock(sel, i); found && cb.Dominates(instr.Block()) {
					if o := ssax.ChanVar(st.Chan); o != nil {
						out = append(out, o)
					}
				}
			}
		}
	}
	return out
}

// sentOn reports whether the package sends on the channel ch (a plain
// send or a select case), or lets it out where others could.
func (st *state) sentOn(ch types.Object) bool {
	if st.sends == nil {
		st.sends = ssax.SentChannels(st.ssa.SrcFuncs)
	}
	if st.sends[ch] {
		return true
	}
	// An exported field or global can be sent on from other packages.
	return ch.Exported()
}

// closesAfter reports whether fn, after instr on some path, closes ch
// (directly, deferred, or in a function of the package it calls, up to
// depth calls deep).
func (st *state) closesAfter(fn *ssa.Function, instr ssa.Instruction, ch types.Object, depth int) bool {
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if d, ok := in.(*ssa.Defer); ok && st.closes(d, ch, depth) && ssax.Dominates(d, instr) {
				return true // defer close(ch), registered before instr: runs at the return after it
			}
		}
	}
	seen := map[*ssa.BasicBlock]bool{}
	var visit func(b *ssa.BasicBlock, from int) bool
	visit = func(b *ssa.BasicBlock, from int) bool {
		for _, in := range b.Instrs[from:] {
			if st.closes(in, ch, depth) {
				return true
			}
		}
		for _, s := range b.Succs {
			if !seen[s] {
				seen[s] = true
				if visit(s, 0) {
					return true
				}
			}
		}
		return false
	}
	b := instr.Block()
	for i, in := range b.Instrs {
		if in == instr {
			return visit(b, i+1)
		}
	}
	return false
}

// closes reports whether instr closes ch, or calls a function of the
// package that does (depth levels deep).
func (st *state) closes(instr ssa.Instruction, ch types.Object, depth int) bool {
	call, ok := instr.(ssa.CallInstruction)
	if !ok {
		return false
	}
	common := call.Common()
	if b, ok := common.Value.(*ssa.Builtin); ok {
		return b.Name() == "close" && len(common.Args) == 1 && ssax.ChanVar(common.Args[0]) == ch
	}
	if _, isGo := instr.(*ssa.Go); isGo || depth == 0 {
		return false
	}
	callee := common.StaticCallee()
	if callee == nil || callee.Pkg != st.ssa.Pkg || len(callee.Blocks) == 0 {
		return false
	}
	for _, b := range callee.Blocks {
		for _, in := range b.Instrs {
			if st.closes(in, ch, depth-1) {
				return true
			}
		}
	}
	return false
}
