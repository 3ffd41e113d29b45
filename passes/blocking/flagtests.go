package blocking

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// flagTest is an if statement on a bool field of a base value.
type flagTest struct {
	ifi  *ssa.If
	load *ssa.UnOp
	base ssa.Value
	key  fieldRef
	// onTrue and onFalse are the successors taken when the flag is true
	// and when it is false.
	onTrue, onFalse *ssa.BasicBlock
}

// flagTests returns the if statements of fn that test a bool field of
// base directly (x.f or !x.f).
func flagTests(fn *ssa.Function, base ssa.Value) []flagTest {
	var out []flagTest
	for _, b := range fn.Blocks {
		br, ok := ssax.BranchOf(b)
		if !ok {
			continue
		}
		load, fa := ssax.FieldLoad(br.Cond)
		if fa == nil || fa.X != base {
			continue
		}
		k := fieldAddrKey(fa)
		if k == nil {
			continue
		}
		out = append(out, flagTest{ifi: br.If, load: load, base: base, key: *k, onTrue: br.OnTrue, onFalse: br.OnFalse})
	}
	return out
}

// dominates reports whether block b dominates instr (instr's block is
// dominated by b, and b has a single predecessor edge into it from the
// test so that the branch is really taken).
func dominates(b *ssa.BasicBlock, instr ssa.Instruction) bool {
	return len(b.Preds) == 1 && b.Dominates(instr.Block())
}

// flagSetOnce reports whether the package sets bool field key only to
// true, apart from initialising objects it has just allocated: once
// set, the flag stays set.
func (a *analyzer) flagSetOnce(key fieldRef) bool {
	for _, st := range a.index().fieldStore[key] {
		if ssax.IsTrue(st.Val) {
			continue
		}
		if !freshAddr(st.Addr) {
			return false
		}
	}
	return true
}

// freshAddr reports an address inside an object allocated in the same
// function (a composite literal being filled), reached through field
// and element selections only.
func freshAddr(v ssa.Value) bool {
	for i := 0; i < 16; i++ {
		switch x := v.(type) {
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.IndexAddr:
			v = x.X
		case *ssa.Alloc:
			return true
		default:
			return false
		}
	}
	return false
}

// testAndSet reports whether send runs only on the branch where the
// flag of test was false, after storing true into it, with one lock
// held from the test through the send.
func (a *analyzer) testAndSet(fn *ssa.Function, instr ssa.Instruction, ft flagTest) bool {
	if !dominates(ft.onFalse, instr) {
		return false
	}
	fl := a.ls.Func(fn)
	for _, b := range fn.Blocks {
		if !ft.onFalse.Dominates(b) {
			continue
		}
		for _, in := range b.Instrs {
			st, ok := in.(*ssa.Store)
			if !ok || !ssax.IsTrue(st.Val) {
				continue
			}
			fa, ok := st.Addr.(*ssa.FieldAddr)
			if !ok || fa.X != ft.base {
				continue
			}
			if k := fieldAddrKey(fa); k == nil || *k != ft.key || !ssax.Dominates(st, instr) {
				continue
			}
			if _, ok := fl.OneSection(ft.load, st, instr); ok {
				return true
			}
		}
	}
	return false
}

// onceFlagSend reports a send on a field channel made only with a
// buffer, that runs only after a test-and-set of a bool flag of the same
// object under a lock, where the flag is never cleared: the send runs at
// most once per object. Other sends on the field must be guarded by the
// same flag, or run on the branch where it is already set right after a
// fresh make; the channel must not leave the package's field loads with
// its send side.
func (a *analyzer) onceFlagSend(fn *ssa.Function, send *ssa.Send) bool {
	fa := fieldOf(send.Chan)
	key := fieldKey(send.Chan)
	if fa == nil || key == nil {
		return false
	}
	if a.fieldCaps == nil {
		a.fieldCaps = a.scanFieldCaps()
	}
	if a.fieldCaps[*key] < 1 || !a.chanFieldContained(*key) {
		return false
	}
	for _, ft := range flagTests(fn, fa.X) {
		if !a.flagSetOnce(ft.key) || !a.testAndSet(fn, send, ft) {
			continue
		}
		if a.otherSendsGuarded(*key, send, ft.key) {
			return true
		}
	}
	return false
}

// otherSendsGuarded reports whether every send on channel field chKey
// other than self is a test-and-set send on flag, or a send right after
// a fresh make on the branch where flag is already set.
func (a *analyzer) otherSendsGuarded(chKey fieldRef, self *ssa.Send, flag fieldRef) bool {
	for _, ld := range a.index().fieldLoads[chKey] {
		refs := ld.Referrers()
		if refs == nil {
			return false
		}
		for _, r := range *refs {
			var s *ssa.Send
			switch u := r.(type) {
			case *ssa.Send:
				s = u
			case *ssa.Select:
				for _, st := range u.States {
					if st.Chan == ld && st.Dir == types.SendOnly {
						return false
					}
				}
				continue
			default:
				continue
			}
			if s == self {
				continue
			}
			fn := s.Parent()
			base := ld.X.(*ssa.FieldAddr).X
			ok := false
			for _, ft := range flagTests(fn, base) {
				if ft.key != flag {
					continue
				}
				if a.testAndSet(fn, s, ft) || (dominates(ft.onTrue, s) && a.freshFieldChan(s)) {
					ok = true
					break
				}
			}
			if !ok {
				return false
			}
		}
	}
	return true
}

// chanFieldContained reports whether every load of channel field key in
// the package is only sent on, received from, closed, compared, measured
// or handed out receive-only: no other code can send on it unseen.
func (a *analyzer) chanFieldContained(key fieldRef) bool {
	for _, ld := range a.index().fieldLoads[key] {
		refs := ld.Referrers()
		if refs == nil {
			return false
		}
		for _, r := range *refs {
			switch u := r.(type) {
			case *ssa.Send:
				if u.X == ld {
					return false
				}
			case *ssa.UnOp:
				if u.Op != token.ARROW {
					return false
				}
			case *ssa.Select:
				for _, st := range u.States {
					if st.Send == ld {
						return false
					}
				}
			case *ssa.BinOp, *ssa.DebugRef:
			case *ssa.Call:
				if !chanBuiltin(u) {
					return false
				}
			case *ssa.ChangeType:
				if _, dir, ok := chanElem(u.Type()); !ok || dir != types.RecvOnly {
					return false
				}
			default:
				return false
			}
		}
	}
	return true
}

// closedFlagRecv reports a receive from a field channel that runs only
// where a bool flag of the same object is set, under a lock held from
// the test, when every function that sets the flag also closes that
// channel under the same lock, the flag is never cleared, and the field
// is filled only when its object is made: the channel is closed (or
// holds a value) by then, so the receive returns at once.
func (a *analyzer) closedFlagRecv(fn *ssa.Function, recv *ssa.UnOp) bool {
	fa := fieldOf(recv.X)
	key := fieldKey(recv.X)
	if fa == nil || key == nil {
		return false
	}
	ix := a.index()
	stores := ix.fieldStore[*key]
	if len(stores) == 0 {
		return false
	}
	for _, st := range stores {
		if !freshAddr(st.Addr) {
			return false
		}
	}
	fl := a.ls.Func(fn)
	for _, ft := range flagTests(fn, fa.X) {
		if !dominates(ft.onTrue, recv) {
			continue
		}
		if _, ok := fl.OneSection(ft.load, recv); !ok {
			continue
		}
		if a.flagSetOnce(ft.key) && a.setsCloseChan(ft.key, *key) {
			return true
		}
	}
	return false
}

// setsCloseChan reports whether every function that stores true into
// flag field of x also closes channel field ch of the same x, with one
// lock held at both.
func (a *analyzer) setsCloseChan(flag, ch fieldRef) bool {
	stores := a.index().fieldStore[flag]
	if len(stores) == 0 {
		return false
	}
	for _, st := range stores {
		if !ssax.IsTrue(st.Val) {
			continue // initialisation of a fresh object (flagSetOnce)
		}
		fn := st.Parent()
		base := st.Addr.(*ssa.FieldAddr).X
		fl := a.ls.Func(fn)
		found := false
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				c, ok := in.(*ssa.Call)
				if !ok || len(c.Call.Args) != 1 {
					continue
				}
				if bi, ok := c.Call.Value.(*ssa.Builtin); !ok || bi.Name() != "close" {
					continue
				}
				cfa := fieldOf(c.Call.Args[0])
				if cfa == nil || cfa.X != base {
					continue
				}
				if k := fieldAddrKey(cfa); k == nil || *k != ch {
					continue
				}
				if _, ok := fl.OneSection(st, c); ok {
					found = true
				}
			}
		}
		if !found {
			return false
		}
	}
	return true
}
