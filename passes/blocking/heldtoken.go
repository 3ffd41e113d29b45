package blocking

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// A channel with one slot can hold a value as a token: a receive takes
// it (and with it the right to change the value), a send gives it back.
//
//	st := make(chan state, 1); st <- state{} // the token, into an empty buffer
//	s := <-st; s.n++; st <- s               // take it, give it back
//
// The give-back cannot block: the buffer's slot was freed by the
// receive, and nothing else fills it while the token is out. That holds
// when every channel of the type in the package is made with a buffer
// and every send on one is a give-back or the first fill of a channel
// just made.

// heldTokenSend reports whether send gives back a token or puts the
// first one in: send's channel is a one-token channel (see above), and a
// receive from the same value comes first on every path with no other
// send on it between, or the channel was made just before.
func (a *analyzer) heldTokenSend(send *ssa.Send) bool {
	if !takenBefore(send) && !firstFill(send) {
		return false
	}
	return a.isTokenType(send.Chan.Type())
}

// isTokenType memoizes tokenChanType.
func (a *analyzer) isTokenType(t types.Type) bool {
	if a.tokenTypes == nil {
		a.tokenTypes = map[string]bool{}
	}
	key := types.TypeString(t, nil)
	v, ok := a.tokenTypes[key]
	if !ok {
		v = a.tokenChanType(t)
		a.tokenTypes[key] = v
	}
	return v
}

// takenBefore reports whether a receive from send's channel dominates
// send with no other send on that channel on a path between.
func takenBefore(send *ssa.Send) bool {
	var recvs []*ssa.UnOp
	var sends []*ssa.Send
	for _, b := range send.Parent().Blocks {
		for _, in := range b.Instrs {
			switch x := in.(type) {
			case *ssa.UnOp:
				if x.Op == token.ARROW && sameChan(x.X, send.Chan) && ssax.Dominates(x, send) {
					recvs = append(recvs, x)
				}
			case *ssa.Send:
				if x != send && sameChan(x.Chan, send.Chan) {
					sends = append(sends, x)
				}
			}
		}
	}
	isSend := func(in ssa.Instruction) bool { return in == send }
	for _, recv := range recvs {
		// No other send on a path from the receive to send (one on
		// another branch gives the token back there instead).
		between := false
		for _, s2 := range sends {
			isS2 := func(in ssa.Instruction) bool { return in == s2 }
			if ssax.ReachesAvoiding(recv.Block(), ssax.IndexOf(recv)+1, isS2, isSend) &&
				ssax.ReachesAvoiding(s2.Block(), ssax.IndexOf(s2)+1, isSend, nil) {
				between = true
				break
			}
		}
		if !between {
			return true
		}
	}
	return false
}

// sameChan reports whether a and b are one channel: one value, or two
// loads of one variable (a captured st) that its function never assigns.
func sameChan(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	la, ok1 := a.(*ssa.UnOp)
	lb, ok2 := b.(*ssa.UnOp)
	if !ok1 || !ok2 || la.Op != token.MUL || lb.Op != token.MUL || la.X != lb.X {
		return false
	}
	refs := la.X.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		if st, ok := r.(*ssa.Store); ok && st.Addr == la.X {
			return false
		}
	}
	return true
}

// tokenChanType reports whether the package keeps channels of type t as
// one-token holders: each made with a constant buffer of at least one,
// each send on one a give-back (takenBefore) or the first fill of a
// channel just made, and no select sends on one.
func (a *analyzer) tokenChanType(t types.Type) bool {
	makes := 0
	for _, mk := range a.index().makes {
		if !types.Identical(mk.Type(), t) {
			continue
		}
		size, ok := mk.Size.(*ssa.Const)
		if !ok || size.Value == nil || size.Value.Kind() != constant.Int {
			return false
		}
		if n, exact := constant.Int64Val(size.Value); !exact || n < 1 {
			return false
		}
		makes++
	}
	if makes == 0 {
		return false
	}
	for _, fn := range a.fns {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.Send:
					if types.Identical(x.Chan.Type(), t) && !takenBefore(x) && !firstFill(x) {
						return false
					}
				case *ssa.Select:
					for _, st := range x.States {
						if st.Dir == types.SendOnly && types.Identical(st.Chan.Type(), t) {
							return false
						}
					}
				}
			}
		}
	}
	return true
}

// firstFill reports whether send is the first operation on a channel
// made just before it in the same block.
func firstFill(send *ssa.Send) bool {
	mk, ok := send.Chan.(*ssa.MakeChan)
	if !ok || mk.Block() != send.Block() {
		return false
	}
	for _, in := range send.Block().Instrs[ssax.IndexOf(mk)+1 : ssax.IndexOf(send)] {
		if _, dbg := in.(*ssa.DebugRef); dbg {
			continue
		}
		for _, op := range in.Operands(nil) {
			if *op == mk {
				return false
			}
		}
	}
	return true
}

// tokenTake reports whether recv takes the token of a one-token channel
// and gives it back on every path to a return: a lock taken and released
// (the wait for another holder is lock order's business, not a blocking
// wait).
func (a *analyzer) tokenTake(recv *ssa.UnOp) bool {
	if !a.isTokenType(recv.X.Type()) {
		return false
	}
	isReturn := func(in ssa.Instruction) bool {
		switch in.(type) {
		case *ssa.Return, *ssa.Panic:
			return true
		}
		return false
	}
	giveBack := func(in ssa.Instruction) bool {
		s, ok := in.(*ssa.Send)
		return ok && sameChan(s.Chan, recv.X)
	}
	return !ssax.ReachesAvoiding(recv.Block(), ssax.IndexOf(recv)+1, isReturn, giveBack)
}
