package blocking

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// This file recognises channels that receive at most one value over
// their life, so that a send on them with a buffer of one or more
// cannot block, and channels that a flag proves closed, so that a
// receive from them cannot block:
//
//   - reply channels: a request carries a fresh buffered channel that
//     its maker waits on, and the answering code first takes the
//     request out of the pending set (database/sql's connRequests,
//     internal/singleflight's calls);
//   - once-flag sends: if !x.sent { x.sent = true; x.ch <- v } under a
//     lock, with the flag never cleared (net/http's closeNotify);
//   - closed-flag receives: if x.done { <-x.ch } under a lock, where
//     every function that sets x.done closes x.ch under the same lock
//     (net/http's wantConn.cancel).

// pkgIndex holds the package-wide facts the rules need, built on first
// use.
type pkgIndex struct {
	makes      []*ssa.MakeChan
	fieldStore map[fieldRef][]*ssa.Store
	fieldLoads map[fieldRef][]*ssa.UnOp
	asserts    []types.Type
	// replyKeys, replyTests and reply memoise replyElem.
	replyKeys  []types.Type
	replyTests []bool
	reply      []bool
	removes    map[*ssa.Function][]types.Type
}

func (a *analyzer) index() *pkgIndex {
	if a.idx != nil {
		return a.idx
	}
	ix := &pkgIndex{
		fieldStore: map[fieldRef][]*ssa.Store{},
		fieldLoads: map[fieldRef][]*ssa.UnOp{},
		removes:    map[*ssa.Function][]types.Type{},
	}
	for _, fn := range a.fns {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.MakeChan:
					ix.makes = append(ix.makes, x)
				case *ssa.Store:
					if fa, ok := x.Addr.(*ssa.FieldAddr); ok {
						if k := fieldAddrKey(fa); k != nil {
							ix.fieldStore[*k] = append(ix.fieldStore[*k], x)
						}
					}
				case *ssa.UnOp:
					if x.Op == token.MUL {
						if fa, ok := x.X.(*ssa.FieldAddr); ok {
							if k := fieldAddrKey(fa); k != nil {
								ix.fieldLoads[*k] = append(ix.fieldLoads[*k], x)
							}
						}
					}
				case *ssa.TypeAssert:
					ix.asserts = append(ix.asserts, x.AssertedType)
				}
			}
		}
	}
	a.idx = ix
	return ix
}

// fieldAddrKey names the field a FieldAddr selects when it is an
// unexported field of a named struct type (see fieldKey).
func fieldAddrKey(fa *ssa.FieldAddr) *fieldRef {
	pt, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	n, ok := types.Unalias(pt.Elem()).(*types.Named)
	if !ok {
		return nil
	}
	n = n.Origin()
	st, ok := n.Underlying().(*types.Struct)
	if !ok || fa.Field >= st.NumFields() || st.Field(fa.Field).Exported() {
		return nil
	}
	return &fieldRef{n, fa.Field}
}

func chanElem(t types.Type) (types.Type, types.ChanDir, bool) {
	c, ok := t.Underlying().(*types.Chan)
	if !ok {
		return nil, 0, false
	}
	return c.Elem(), c.Dir(), true
}

// ---- reply channels ----

// answeredRequest reports a send on a reply channel that the sending
// code takes out of the pending set first, so that no other send can
// reach the same channel:
//
//   - every channel of the element type made in the package has a
//     constant buffer of at least one, and none enters from or leaves to
//     other packages with its send side (exported signatures, fields and
//     variables; type assertions);
//   - every make is a reply make: the function that makes it never
//     sends on it, stores it only into fresh objects or hands it to
//     calls, and waits on it (receives, or returns it receive-only);
//   - the sent value is returned by a call that removes an element
//     holding such channels from a container (a map delete, a slice
//     shrunk in place), or it is reached from a map entry that the
//     sending function deletes, or it is a field of a request that the
//     sending function received from a channel, with one send per
//     request received (a server loop answering each request);
//   - a send in a loop goes to an element selected by the iteration.
func (a *analyzer) answeredRequest(fn *ssa.Function, send *ssa.Send) bool {
	elem, _, ok := chanElem(send.Chan.Type())
	if !ok {
		return false
	}
	if closedAfter(send) && (a.allBuffered(elem, a.inTestFile(send.Pos())) || a.bufferedSlot(send.Chan)) {
		return true // the last value the channel gets: a second send would panic
	}
	if a.slotReply(fn, send) || a.pendingSlot(fn, send) {
		return true
	}
	if !a.replyElem(elem, a.inTestFile(send.Pos())) {
		return false
	}
	v := ssax.Unwrap(send.Chan, ssax.WrapChangeType)
	if takenFromList(fn, v, send) {
		return true // removed before the send: no later iteration reaches it
	}
	if receivedRequest(v, send) {
		return true // one receiver got the request: one reply
	}
	if a.inLoop(fn, send.Block()) && !perIteration(v) {
		return false
	}
	var callee *ssa.Function
	switch x := v.(type) {
	case *ssa.Extract:
		if c, ok := x.Tuple.(*ssa.Call); ok {
			callee = c.Call.StaticCallee()
		}
	case *ssa.Call:
		callee = x.Call.StaticCallee()
	}
	if callee != nil && a.removesHolder(ssax.Origin(callee), elem, 0) {
		return true
	}
	return takenFromMap(fn, v)
}

// receivedRequest reports whether the reply channel v is a field of a
// request that send's function received from a channel (the request
// value itself or what it points to), and send runs once per receive:
// the receive dominates it with no loop header in between. A request
// travels to one receiver, so its channel gets this one reply.
func receivedRequest(v ssa.Value, send *ssa.Send) bool {
	var req ssa.Value
	switch x := v.(type) {
	case *ssa.Field:
		req = x.X
	case *ssa.UnOp:
		fa, ok := x.X.(*ssa.FieldAddr)
		if !ok || x.Op != token.MUL {
			return false
		}
		req = fa.X
	default:
		return false
	}
	if al, ok := req.(*ssa.Alloc); ok && !al.Heap {
		// A local copy of the request, stored once.
		var val ssa.Value
		for _, r := range *al.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == al {
				if val != nil {
					return false
				}
				val = st.Val
			}
		}
		if val == nil {
			return false
		}
		req = val
	}
	if ex, ok := req.(*ssa.Extract); ok && ex.Index == 0 {
		req = ex.Tuple // v, ok := <-ch
	}
	recv, ok := req.(*ssa.UnOp)
	if !ok || recv.Op != token.ARROW || recv.Parent() != send.Parent() || !ssax.Dominates(recv, send) {
		return false
	}
	for b := send.Block(); b != nil && b != recv.Block(); b = b.Idom() {
		if loopHeader(b) {
			return false
		}
	}
	return true
}

// closedAfter reports whether the instruction after send in its block
// closes the same channel: each reply channel gets one value and is
// closed (ch <- err; close(ch)), so a send that found the buffer full
// would have found it closed first.
func closedAfter(send *ssa.Send) bool {
	instrs := send.Block().Instrs
	for i, in := range instrs {
		if in != send || i+1 >= len(instrs) {
			continue
		}
		for _, next := range instrs[i+1:] {
			if _, ok := next.(*ssa.DebugRef); ok {
				continue
			}
			c, ok := next.(*ssa.Call)
			if !ok || len(c.Call.Args) != 1 {
				return false
			}
			b, ok := c.Call.Value.(*ssa.Builtin)
			return ok && b.Name() == "close" && ssax.Unwrap(c.Call.Args[0], ssax.WrapChangeType) == ssax.Unwrap(send.Chan, ssax.WrapChangeType)
		}
	}
	return false
}

// takenFromList reports a channel reached from the value of a
// container/list element that fn removes from its list before the send
// (on every path to it): the waiter queue shape,
// w := e.Value.(*waiter); l.Remove(e); w.done <- x.
func takenFromList(fn *ssa.Function, v ssa.Value, send *ssa.Send) bool {
	e := Root(v)
	if p, ok := e.Type().(*types.Pointer); !ok || !isNamed(p.Elem(), "container/list", "Element") {
		return false
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(*ssa.Call)
			if !ok || len(c.Call.Args) != 2 || c.Call.Args[1] != e {
				continue
			}
			callee := c.Call.StaticCallee()
			if callee == nil || callee.Name() != "Remove" || callee.Pkg == nil || callee.Pkg.Pkg.Path() != "container/list" {
				continue
			}
			if c.Block() == send.Block() && instrIndex(c) < instrIndex(send) || c.Block() != send.Block() && c.Block().Dominates(send.Block()) {
				return true
			}
		}
	}
	return false
}

// instrIndex returns the position of instr in its block.
func instrIndex(instr ssa.Instruction) int {
	for i, in := range instr.Block().Instrs {
		if in == instr {
			return i
		}
	}
	return -1
}

// isNamed reports whether t is the named type pkg.name.
func isNamed(t types.Type, pkg, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Name() == name && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkg
}

// takenFromMap reports a channel reached from an entry m[k] that fn
// deletes: the entry was looked up (ch := m[k]) or compared with the
// lookup (if m[k] == c), and fn calls delete(m, k).
func takenFromMap(fn *ssa.Function, v ssa.Value) bool {
	r := Root(v)
	entries := []ssa.Value{r}
	if refs := r.Referrers(); refs != nil {
		for _, u := range *refs {
			b, ok := u.(*ssa.BinOp)
			if !ok || b.Op != token.EQL {
				continue
			}
			if b.X == r {
				entries = append(entries, b.Y)
			} else {
				entries = append(entries, b.X)
			}
		}
	}
	for _, e := range entries {
		if x, ok := e.(*ssa.Extract); ok && x.Index == 0 {
			e = x.Tuple
		}
		lk, ok := e.(*ssa.Lookup)
		if !ok {
			continue
		}
		if _, isMap := lk.X.Type().Underlying().(*types.Map); !isMap {
			continue
		}
		if deletes(fn, func(m, k ssa.Value) bool { return sameMap(m, lk.X) && ssax.SameLocation(k, lk.Index) }) {
			return true
		}
	}
	return false
}

// deletes reports whether fn calls delete(m, k) with a map and key that
// match reports true for.
func deletes(fn *ssa.Function, match func(m, k ssa.Value) bool) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(*ssa.Call)
			if !ok || len(c.Call.Args) != 2 {
				continue
			}
			if bi, ok := c.Call.Value.(*ssa.Builtin); ok && bi.Name() == "delete" && match(c.Call.Args[0], c.Call.Args[1]) {
				return true
			}
		}
	}
	return false
}

// sameMap reports whether two map values are one SSA value or loads of
// the same variable or field.
func sameMap(x, y ssa.Value) bool {
	if x == y {
		return true
	}
	lx, ok1 := x.(*ssa.UnOp)
	ly, ok2 := y.(*ssa.UnOp)
	return ok1 && ok2 && lx.Op == token.MUL && ly.Op == token.MUL && sameAddr(lx.X, ly.X)
}

// perIteration reports a channel chosen by the loop: an element of a
// slice, array or map read with a non-constant index.
func perIteration(v ssa.Value) bool {
	switch x := v.(type) {
	case *ssa.UnOp:
		if x.Op == token.MUL {
			if ia, ok := x.X.(*ssa.IndexAddr); ok {
				_, k := ia.Index.(*ssa.Const)
				return !k
			}
		}
	case *ssa.Index:
		_, k := x.Index.(*ssa.Const)
		return !k
	case *ssa.Extract:
		_, ok := x.Tuple.(*ssa.Next)
		return ok
	}
	return false
}

// bufferedSlot reports whether ch is an element of a slice field (for
// _, ch := range x.chans) into which the package only ever appends
// channels it makes there with a constant buffer of one or more.
func (a *analyzer) bufferedSlot(ch ssa.Value) bool {
	load, ok := ssax.Unwrap(ch, ssax.WrapChangeType).(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	ia, ok := load.X.(*ssa.IndexAddr)
	if !ok {
		return false
	}
	sl, ok := ia.X.(*ssa.UnOp)
	if !ok || sl.Op != token.MUL {
		return false
	}
	fa, ok := sl.X.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	n := 0
	for _, fn := range a.fns {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				st, ok := in.(*ssa.Store)
				if !ok {
					continue
				}
				fa2, ok := st.Addr.(*ssa.FieldAddr)
				if !ok || ssax.FieldOf(fa2) == nil || ssax.FieldOf(fa2) != ssax.FieldOf(fa) {
					continue
				}
				switch v := st.Val.(type) {
				case *ssa.Const: // nil
					continue
				case *ssa.Slice:
					if l, ok := v.X.(*ssa.UnOp); ok && l.Op == token.MUL && sameAddr(l.X, fa2) {
						continue // x.chans = x.chans[:0]
					}
					if arr, ok := v.X.(*ssa.Alloc); ok && bufferedElems(arr) {
						n++ // &T{chans: []chan R{ch}}
						continue
					}
					return false
				case *ssa.Call:
					if !bufferedAppend(v, fa2) {
						return false
					}
					n++
				default:
					return false
				}
			}
		}
	}
	return n > 0
}

// bufferedAppend reports whether call is append(x.f, chans...) whose
// appended values are all made with a constant buffer of one or more.
func bufferedAppend(call *ssa.Call, field *ssa.FieldAddr) bool {
	b, ok := call.Call.Value.(*ssa.Builtin)
	if !ok || b.Name() != "append" || len(call.Call.Args) != 2 {
		return false
	}
	if l, ok := call.Call.Args[0].(*ssa.UnOp); !ok || l.Op != token.MUL || !sameAddr(l.X, field) {
		return false
	}
	// append(s, ch) passes ch in a fresh one-element slice.
	sl, ok := call.Call.Args[1].(*ssa.Slice)
	if !ok {
		return false
	}
	arr, ok := sl.X.(*ssa.Alloc)
	return ok && bufferedElems(arr)
}

// bufferedElems reports whether arr, the array behind a slice literal,
// holds only channels made with a constant buffer of one or more.
func bufferedElems(arr *ssa.Alloc) bool {
	if arr.Referrers() == nil {
		return false
	}
	stores := 0
	for _, r := range *arr.Referrers() {
		ia, ok := r.(*ssa.IndexAddr)
		if !ok || ia.Referrers() == nil {
			continue
		}
		for _, r2 := range *ia.Referrers() {
			st, ok := r2.(*ssa.Store)
			if !ok {
				continue
			}
			mk, ok := ssax.Unwrap(st.Val, ssax.WrapChangeType).(*ssa.MakeChan)
			if !ok || !constBuffered(mk) || makerSends(mk) {
				return false
			}
			stores++
		}
	}
	return stores > 0
}

// makerSends reports whether the function that makes mk sends on it
// itself, taking a slot of its buffer.
func makerSends(mk *ssa.MakeChan) bool {
	var sends func(v ssa.Value, depth int) bool
	sends = func(v ssa.Value, depth int) bool {
		if depth > 4 || v.Referrers() == nil {
			return false
		}
		for _, r := range *v.Referrers() {
			switch u := r.(type) {
			case *ssa.Send:
				if u.Chan == v {
					return true
				}
			case *ssa.Select:
				for _, st := range u.States {
					if st.Dir == types.SendOnly && st.Chan == v {
						return true
					}
				}
			case *ssa.ChangeType:
				if sends(u, depth+1) {
					return true
				}
			}
		}
		return false
	}
	return sends(mk, 0)
}

// slotReply reports a send on each channel of a slice field of waiters
// (for _, ch := range c.chans { ch <- res }) when every channel the
// package puts in the field is made there with a buffer of one or more
// that its maker does not use, this loop, outside any other, is the
// only send on the field's channels in the package, and it sends once
// per element: each waiter's slot is free for its one reply.
func (a *analyzer) slotReply(fn *ssa.Function, send *ssa.Send) bool {
	if !a.bufferedSlot(send.Chan) || !perIteration(ssax.Unwrap(send.Chan, ssax.WrapChangeType)) {
		return false
	}
	load := ssax.Unwrap(send.Chan, ssax.WrapChangeType).(*ssa.UnOp)
	ia := load.X.(*ssa.IndexAddr)
	sl := ia.X.(*ssa.UnOp)
	field := ssax.FieldOf(sl.X.(*ssa.FieldAddr))
	if field == nil || a.inLoop(fn, sl.Block()) {
		return false
	}
	for _, f := range a.fns {
		for _, b := range f.Blocks {
			for _, in := range b.Instrs {
				var chans []ssa.Value
				switch x := in.(type) {
				case *ssa.Send:
					chans = append(chans, x.Chan)
				case *ssa.Select:
					for _, st := range x.States {
						if st.Dir == types.SendOnly {
							chans = append(chans, st.Chan)
						}
					}
				}
				for _, c := range chans {
					if in != send && slotOf(c) == field {
						return false
					}
				}
			}
		}
	}
	// The loop's body sends once per round: no other loop inside it.
	header := ia.Index
	phi, ok := header.(*ssa.Phi)
	if !ok {
		return true // a range with a single round
	}
	for _, b := range fn.Blocks {
		if b != phi.Block() && loopHeader(b) && phi.Block().Dominates(b) && b.Dominates(send.Block()) {
			return false
		}
	}
	return true
}

// slotOf returns the field of the slice whose element c is loaded from
// (x.chans[i]), or nil.
func slotOf(c ssa.Value) *types.Var {
	load, ok := ssax.Unwrap(c, ssax.WrapChangeType).(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return nil
	}
	ia, ok := load.X.(*ssa.IndexAddr)
	if !ok {
		return nil
	}
	sl, ok := ia.X.(*ssa.UnOp)
	if !ok || sl.Op != token.MUL {
		return nil
	}
	fa, ok := sl.X.(*ssa.FieldAddr)
	if !ok {
		return nil
	}
	return ssax.FieldOf(fa)
}

// constBuffered reports whether mk has a constant buffer of one or more.
func constBuffered(mk *ssa.MakeChan) bool {
	k, ok := mk.Size.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
		return false
	}
	c, exact := constant.Int64Val(k.Value)
	return exact && c >= 1
}

// maxTypeWalk bounds the types visited by one walk, and maxTypeDepth
// its nesting: instantiating a recursive generic type can produce new
// types without end.
const (
	maxTypeWalk  = 4096
	maxTypeDepth = 32
)

// sameAddr reports whether two addresses denote the same variable: one
// SSA value, the same field of one base, or the same global.
func sameAddr(x, y ssa.Value) bool {
	if x == y {
		return true
	}
	fx, ok1 := x.(*ssa.FieldAddr)
	fy, ok2 := y.(*ssa.FieldAddr)
	return ok1 && ok2 && sameField(fx, fy)
}

// ---- once-flag sends and closed-flag receives ----
