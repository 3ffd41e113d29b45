package sharedaccess

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
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

// chanObj returns the field or global that a channel value was loaded
// from, or nil.
func chanObj(v ssa.Value) types.Object {
	u, ok := v.(*ssa.UnOp)
	if !ok || u.Op != token.MUL {
		return nil
	}
	switch x := u.X.(type) {
	case *ssa.FieldAddr:
		if st, ok := types.Unalias(x.X.Type()).Underlying().(*types.Pointer); ok {
			if s, ok := st.Elem().Underlying().(*types.Struct); ok && x.Field < s.NumFields() {
				return s.Field(x.Field).Origin()
			}
		}
	case *ssa.Global:
		return x.Object()
	}
	return nil
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
				if o := chanObj(u.X); o != nil {
					out = append(out, o)
				}
			}
		}
		if o := selectCaseRecv(d); o != nil {
			out = append(out, o)
		}
	}
	return out
}

// selectCaseRecv returns the channel of the receive case that block b
// is the branch of: b's only predecessor ends in `if idx == k` on the
// index of a select, and b is the true successor.
func selectCaseRecv(b *ssa.BasicBlock) types.Object {
	if len(b.Preds) != 1 {
		return nil
	}
	p := b.Preds[0]
	ifi, ok := p.Instrs[len(p.Instrs)-1].(*ssa.If)
	if !ok || len(p.Succs) != 2 || p.Succs[0] != b {
		return nil
	}
	cmp, ok := ifi.Cond.(*ssa.BinOp)
	if !ok || cmp.Op != token.EQL {
		return nil
	}
	ext, ok := cmp.X.(*ssa.Extract)
	k, isConst := cmp.Y.(*ssa.Const)
	if !ok || ext.Index != 0 || !isConst || k.Value == nil {
		return nil
	}
	sel, ok := ext.Tuple.(*ssa.Select)
	if !ok {
		return nil
	}
	idx := int(constInt(k))
	if idx < 0 || idx >= len(sel.States) {
		return nil
	}
	if s := sel.States[idx]; s.Dir == types.RecvOnly {
		return chanObj(s.Chan)
	}
	return nil
}

// sentOn reports whether the package sends on the channel ch (a plain
// send or a select case), or lets it out where others could.
func (st *state) sentOn(ch types.Object) bool {
	if st.sends == nil {
		st.sends = map[types.Object]bool{}
		for _, fn := range st.ssa.SrcFuncs {
			for _, b := range fn.Blocks {
				for _, in := range b.Instrs {
					switch x := in.(type) {
					case *ssa.Send:
						if o := chanObj(x.Chan); o != nil {
							st.sends[o] = true
						}
					case *ssa.Select:
						for _, s := range x.States {
							if s.Dir == types.SendOnly {
								if o := chanObj(s.Chan); o != nil {
									st.sends[o] = true
								}
							}
						}
					}
				}
			}
		}
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
		return b.Name() == "close" && len(common.Args) == 1 && chanObj(common.Args[0]) == ch
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
