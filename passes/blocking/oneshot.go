package blocking

import (
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/passes/lockset"
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

func stripChange(v ssa.Value) ssa.Value {
	for i := 0; i < 8; i++ {
		ct, ok := v.(*ssa.ChangeType)
		if !ok {
			return v
		}
		v = ct.X
	}
	return v
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
//     sending function deletes;
//   - a send in a loop goes to an element selected by the iteration.
func (a *analyzer) answeredRequest(fn *ssa.Function, send *ssa.Send) bool {
	elem, _, ok := chanElem(send.Chan.Type())
	if !ok {
		return false
	}
	if closedAfter(send) && (a.allBuffered(elem, a.inTestFile(send.Pos())) || a.bufferedSlot(send.Chan)) {
		return true // the last value the channel gets: a second send would panic
	}
	if !a.replyElem(elem, a.inTestFile(send.Pos())) {
		return false
	}
	v := stripChange(send.Chan)
	if takenFromList(fn, v, send) {
		return true // removed before the send: no later iteration reaches it
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
	if callee != nil && a.removesHolder(origin(callee), elem, 0) {
		return true
	}
	return takenFromMap(fn, v)
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
			return ok && b.Name() == "close" && stripChange(c.Call.Args[0]) == stripChange(send.Chan)
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
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(*ssa.Call)
				if !ok || len(c.Call.Args) != 2 {
					continue
				}
				if bi, ok := c.Call.Value.(*ssa.Builtin); !ok || bi.Name() != "delete" {
					continue
				}
				if sameMap(c.Call.Args[0], lk.X) && c.Call.Args[1] == lk.Index {
					return true
				}
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

// replyElem reports whether channels of element type elem are reply
// channels throughout the package. For a send outside the package's
// _test.go files, channels made in those files are not counted: a test
// that drives the package's internals with channels of its own is a
// client of the protocol, not part of it.
func (a *analyzer) replyElem(elem types.Type, withTests bool) bool {
	ix := a.index()
	for i, k := range ix.replyKeys {
		if types.Identical(k, elem) && ix.replyTests[i] == withTests {
			return ix.reply[i]
		}
	}
	ok := a.computeReply(elem, withTests)
	ix.replyKeys = append(ix.replyKeys, elem)
	ix.replyTests = append(ix.replyTests, withTests)
	ix.reply = append(ix.reply, ok)
	return ok
}

// inTestFile reports whether pos lies in a _test.go file.
func (a *analyzer) inTestFile(pos token.Pos) bool {
	f := a.pass.Fset.File(pos)
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
}

// bufferedSlot reports whether ch is an element of a slice field (for
// _, ch := range x.chans) into which the package only ever appends
// channels it makes there with a constant buffer of one or more.
func (a *analyzer) bufferedSlot(ch ssa.Value) bool {
	load, ok := stripChange(ch).(*ssa.UnOp)
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
				case *ssa.Slice: // x.chans = x.chans[:0]
					if l, ok := v.X.(*ssa.UnOp); ok && l.Op == token.MUL && sameAddr(l.X, fa2) {
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
	if !ok || arr.Referrers() == nil {
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
			mk, ok := stripChange(st.Val).(*ssa.MakeChan)
			if !ok {
				return false
			}
			if !constBuffered(mk) {
				return false
			}
			stores++
		}
	}
	return stores > 0
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

// allBuffered reports whether every channel of element type elem that
// the package makes has a constant buffer of one or more, and none
// crosses the package boundary with its send side.
func (a *analyzer) allBuffered(elem types.Type, withTests bool) bool {
	n := 0
	for _, mk := range a.index().makes {
		e, _, ok := chanElem(mk.Type())
		if !ok || !types.Identical(e, elem) {
			continue
		}
		if !withTests && a.inTestFile(mk.Parent().Pos()) {
			continue
		}
		n++
		if !constBuffered(mk) {
			return false
		}
	}
	return n > 0 && !a.apiMentions(elem)
}

func (a *analyzer) computeReply(elem types.Type, withTests bool) bool {
	ix := a.index()
	n := 0
	for _, mk := range ix.makes {
		e, _, ok := chanElem(mk.Type())
		if !ok || !types.Identical(e, elem) {
			continue
		}
		if !withTests && a.inTestFile(mk.Parent().Pos()) {
			continue
		}
		n++
		if !constBuffered(mk) {
			return false
		}
		if !replyMake(mk) {
			return false
		}
	}
	if n == 0 {
		return false
	}
	for _, t := range ix.asserts {
		if mentionsChan(t, elem, a.pass.Pkg, map[types.Type]bool{}) {
			return false
		}
	}
	return !a.apiMentions(elem)
}

// replyMake reports whether the function that makes mk never sends on
// it, keeps it only in fresh objects, maps or calls of its own package,
// and waits on it.
func replyMake(mk *ssa.MakeChan) bool {
	waits := false
	var walk func(v ssa.Value, depth int) bool
	walk = func(v ssa.Value, depth int) bool {
		if depth > 4 {
			return false
		}
		refs := v.Referrers()
		if refs == nil {
			return false
		}
		for _, r := range *refs {
			switch u := r.(type) {
			case *ssa.ChangeType:
				if _, dir, ok := chanElem(u.Type()); ok && dir == types.RecvOnly {
					// Handed out receive-only: only returns are understood.
					urefs := u.Referrers()
					if urefs == nil {
						return false
					}
					for _, ur := range *urefs {
						switch ur.(type) {
						case *ssa.Return:
							waits = true
						case *ssa.DebugRef:
						default:
							return false
						}
					}
					continue
				}
				if !walk(u, depth+1) {
					return false
				}
			case *ssa.UnOp:
				if u.Op != token.ARROW {
					return false
				}
				waits = true
			case *ssa.Select:
				for _, st := range u.States {
					if st.Chan == v && st.Dir == types.SendOnly {
						return false
					}
					if st.Send == v {
						return false
					}
					if st.Chan == v {
						waits = true
					}
				}
			case *ssa.Store:
				if u.Addr == v {
					return false
				}
				if !freshAddr(u.Addr) {
					return false
				}
				// Kept in a field of the fresh object: a receive from
				// that field of the same object is the wait.
				if fa, ok := u.Addr.(*ssa.FieldAddr); ok {
					w, sends := fieldUses(fa)
					if sends {
						return false
					}
					waits = waits || w
				}
			case *ssa.Call:
				if b, ok := u.Call.Value.(*ssa.Builtin); ok {
					switch b.Name() {
					case "len", "cap":
					default:
						return false
					}
					continue
				}
				// Handed to a function of this package only: code
				// elsewhere might send on it.
				callee := u.Call.StaticCallee()
				if callee == nil || u.Call.Value == v || callee.Pkg == nil || callee.Pkg != mk.Parent().Pkg {
					return false
				}
			case *ssa.MapUpdate:
				if u.Key == v {
					return false
				}
			case *ssa.BinOp, *ssa.DebugRef:
			default:
				return false
			}
		}
		return true
	}
	return walk(mk, 0) && waits
}

// fieldUses reports whether the maker receives from the channel field
// that fa addresses, through a load of the same field of the same
// object, and whether it sends on it that way.
func fieldUses(fa *ssa.FieldAddr) (waits, sends bool) {
	refs := fa.X.Referrers()
	if refs == nil {
		return false, false
	}
	for _, r := range *refs {
		other, ok := r.(*ssa.FieldAddr)
		if !ok || other.Field != fa.Field || other.Referrers() == nil {
			continue
		}
		for _, lr := range *other.Referrers() {
			load, ok := lr.(*ssa.UnOp)
			if !ok || load.Op != token.MUL || load.Referrers() == nil {
				continue
			}
			for _, use := range *load.Referrers() {
				switch x := use.(type) {
				case *ssa.UnOp:
					if x.Op == token.ARROW {
						waits = true
					}
				case *ssa.Select:
					for _, st := range x.States {
						if st.Chan == load && st.Dir == types.RecvOnly {
							waits = true
						}
						if st.Chan == load && st.Dir == types.SendOnly {
							sends = true
						}
					}
				case *ssa.Send:
					if x.Chan == load {
						sends = true
					}
				}
			}
		}
	}
	return waits, sends
}

// apiMentions reports whether a send-capable channel of element type
// elem can cross the package boundary: through an exported function's
// or method's signature, an exported variable, or an exported field.
func (a *analyzer) apiMentions(elem types.Type) bool {
	pkg := a.pass.Pkg
	scope := pkg.Scope()
	seen := map[types.Type]bool{}
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		switch o := obj.(type) {
		case *types.Func:
			if o.Exported() && mentionsChan(o.Type(), elem, pkg, seen) {
				return true
			}
		case *types.Var:
			if o.Exported() && mentionsChan(o.Type(), elem, pkg, seen) {
				return true
			}
		case *types.TypeName:
			if !o.Exported() {
				continue // its methods are out of reach too, unless through an interface
			}
			if mentionsChan(o.Type(), elem, pkg, seen) {
				return true
			}
			if n, ok := types.Unalias(o.Type()).(*types.Named); ok {
				for i := 0; i < n.NumMethods(); i++ {
					m := n.Method(i)
					if m.Exported() && mentionsChan(m.Type(), elem, pkg, seen) {
						return true
					}
				}
			}
		}
	}
	return false
}

// mentionsChan reports whether a value of type t gives access to a
// send-capable channel of element type elem. Unexported fields of this
// package's named structs are out of other packages' reach, but inside
// the package (seen through a type assertion) every field counts.
func mentionsChan(t types.Type, elem types.Type, pkg *types.Package, seen map[types.Type]bool) bool {
	return mentions(t, elem, pkg, seen, 0)
}

func mentions(t types.Type, elem types.Type, pkg *types.Package, seen map[types.Type]bool, depth int) bool {
	if depth > maxTypeDepth {
		return true // a type nested this deep (recursive generics): assume the worst
	}
	if t == nil || seen[t] {
		return false
	}
	seen[t] = true
	switch x := types.Unalias(t).(type) {
	case *types.Chan:
		if x.Dir() != types.RecvOnly && types.Identical(x.Elem(), elem) {
			return true
		}
		return mentions(x.Elem(), elem, pkg, seen, depth+1)
	case *types.Pointer:
		return mentions(x.Elem(), elem, pkg, seen, depth+1)
	case *types.Slice:
		return mentions(x.Elem(), elem, pkg, seen, depth+1)
	case *types.Array:
		return mentions(x.Elem(), elem, pkg, seen, depth+1)
	case *types.Map:
		return mentions(x.Key(), elem, pkg, seen, depth+1) || mentions(x.Elem(), elem, pkg, seen, depth+1)
	case *types.Signature:
		return mentions(x.Params(), elem, pkg, seen, depth+1) || mentions(x.Results(), elem, pkg, seen, depth+1)
	case *types.Tuple:
		for i := 0; i < x.Len(); i++ {
			if mentions(x.At(i).Type(), elem, pkg, seen, depth+1) {
				return true
			}
		}
	case *types.Struct:
		for i := 0; i < x.NumFields(); i++ {
			if mentions(x.Field(i).Type(), elem, pkg, seen, depth+1) {
				return true
			}
		}
	case *types.Interface:
		for i := 0; i < x.NumMethods(); i++ {
			if mentions(x.Method(i).Type(), elem, pkg, seen, depth+1) {
				return true
			}
		}
	case *types.Named:
		if ta := x.TypeArgs(); ta != nil {
			for i := 0; i < ta.Len(); i++ {
				if mentions(ta.At(i), elem, pkg, seen, depth+1) {
					return true
				}
			}
		}
		st, ok := x.Underlying().(*types.Struct)
		if !ok {
			return mentions(x.Underlying(), elem, pkg, seen, depth+1)
		}
		own := x.Obj().Pkg() == pkg
		for i := 0; i < st.NumFields(); i++ {
			f := st.Field(i)
			if own && !f.Exported() && !f.Embedded() {
				continue
			}
			if mentions(f.Type(), elem, pkg, seen, depth+1) {
				return true
			}
		}
	}
	return false
}

// maxTypeWalk bounds the types visited by one walk, and maxTypeDepth
// its nesting: instantiating a recursive generic type can produce new
// types without end.
const (
	maxTypeWalk  = 4096
	maxTypeDepth = 32
)

// holdsChan reports whether a value of type t contains a channel of
// element type elem (in any direction).
func holdsChan(t types.Type, elem types.Type, seen map[types.Type]bool) bool {
	if t == nil || seen[t] || len(seen) > maxTypeWalk {
		return false
	}
	seen[t] = true
	switch x := t.Underlying().(type) {
	case *types.Chan:
		return types.Identical(x.Elem(), elem)
	case *types.Pointer:
		return holdsChan(x.Elem(), elem, seen)
	case *types.Slice:
		return holdsChan(x.Elem(), elem, seen)
	case *types.Array:
		return holdsChan(x.Elem(), elem, seen)
	case *types.Map:
		return holdsChan(x.Elem(), elem, seen)
	case *types.Struct:
		for i := 0; i < x.NumFields(); i++ {
			if holdsChan(x.Field(i).Type(), elem, seen) {
				return true
			}
		}
	}
	return false
}

// removesHolder reports whether fn, or a function of this package it
// calls statically, removes from a container an element that holds a
// channel of element type elem: delete(m, k) on such a map, or a slice
// field shrunk in place (s.q = s.q[1:], s.q = s.q[:n-1]).
func (a *analyzer) removesHolder(fn *ssa.Function, elem types.Type, depth int) bool {
	if fn == nil || depth > 3 || fn.Pkg == nil || fn.Pkg.Pkg != a.pass.Pkg {
		return false
	}
	for _, t := range a.removedTypes(fn) {
		if holdsChan(t, elem, map[types.Type]bool{}) {
			return true
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			if callee := c.Call.StaticCallee(); callee != nil && origin(callee) != fn {
				if a.removesHolder(origin(callee), elem, depth+1) {
					return true
				}
			}
		}
	}
	return false
}

// removedTypes lists the element types fn itself removes from maps and
// slice fields.
func (a *analyzer) removedTypes(fn *ssa.Function) []types.Type {
	ix := a.index()
	if ts, ok := ix.removes[fn]; ok {
		return ts
	}
	var ts []types.Type
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Call:
				if bi, ok := x.Call.Value.(*ssa.Builtin); ok && bi.Name() == "delete" && len(x.Call.Args) == 2 {
					if m, ok := x.Call.Args[0].Type().Underlying().(*types.Map); ok {
						ts = append(ts, m.Elem())
					}
				}
			case *ssa.Store:
				sl, ok := x.Val.(*ssa.Slice)
				if !ok {
					continue
				}
				load, ok := sl.X.(*ssa.UnOp)
				if !ok || load.Op != token.MUL || !sameAddr(load.X, x.Addr) {
					continue
				}
				if s, ok := x.Val.Type().Underlying().(*types.Slice); ok {
					ts = append(ts, s.Elem())
				}
			}
		}
	}
	ix.removes[fn] = ts
	return ts
}

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
		if len(b.Instrs) == 0 {
			continue
		}
		ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok || len(b.Succs) != 2 {
			continue
		}
		cond := ifi.Cond
		neg := false
		if n, ok := cond.(*ssa.UnOp); ok && n.Op == token.NOT {
			cond, neg = n.X, true
		}
		load, ok := cond.(*ssa.UnOp)
		if !ok || load.Op != token.MUL {
			continue
		}
		fa, ok := load.X.(*ssa.FieldAddr)
		if !ok || fa.X != base {
			continue
		}
		if bt, ok := load.Type().Underlying().(*types.Basic); !ok || bt.Kind() != types.Bool {
			continue
		}
		k := fieldAddrKey(fa)
		if k == nil {
			continue
		}
		ft := flagTest{ifi: ifi, load: load, base: base, key: *k, onTrue: b.Succs[0], onFalse: b.Succs[1]}
		if neg {
			ft.onTrue, ft.onFalse = ft.onFalse, ft.onTrue
		}
		out = append(out, ft)
	}
	return out
}

// dominates reports whether block b dominates instr (instr's block is
// dominated by b, and b has a single predecessor edge into it from the
// test so that the branch is really taken).
func dominates(b *ssa.BasicBlock, instr ssa.Instruction) bool {
	return len(b.Preds) == 1 && b.Dominates(instr.Block())
}

// instrBefore reports whether x runs before y on every path: x's block
// strictly dominates y's, or both share a block and x comes first.
func instrBefore(x, y ssa.Instruction) bool {
	bx, by := x.Block(), y.Block()
	if bx != by {
		return bx.Dominates(by)
	}
	for _, in := range bx.Instrs {
		if in == x {
			return true
		}
		if in == y {
			return false
		}
	}
	return false
}

// commonLock returns a write lock held on every path at all of instrs
// and not released between any two of them: one critical section
// spans them all.
func commonLock(fl *lockset.FuncLocks, instrs ...ssa.Instruction) (lockset.Lock, bool) {
	if fl == nil || len(instrs) == 0 {
		return lockset.Lock{}, false
	}
	for _, l := range fl.MustHeld(instrs[0]) {
		if l.Read {
			continue
		}
		all := true
		for _, in := range instrs[1:] {
			if !lockset.HasLock(fl.MustHeld(in), l.Key) {
				all = false
				break
			}
		}
		if all && !releasedBetween(fl, l, instrs) {
			return l, true
		}
	}
	return lockset.Lock{}, false
}

// releasedBetween reports whether l may be unlocked (and locked again)
// on a path between two of instrs.
func releasedBetween(fl *lockset.FuncLocks, l lockset.Lock, instrs []ssa.Instruction) bool {
	for _, e := range fl.Events() {
		if e.Kind != lockset.Release || e.Deferred || e.Lock.Key != l.Key {
			continue
		}
		for _, x := range instrs {
			for _, y := range instrs {
				if x != y && mayPrecede(x, e.Instr) && mayPrecede(e.Instr, y) {
					return true
				}
			}
		}
	}
	return false
}

// isTrue reports a constant true.
func isTrue(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.Value != nil && k.Value.Kind() == constant.Bool && constant.BoolVal(k.Value)
}

// flagSetOnce reports whether the package sets bool field key only to
// true, apart from initialising objects it has just allocated: once
// set, the flag stays set.
func (a *analyzer) flagSetOnce(key fieldRef) bool {
	for _, st := range a.index().fieldStore[key] {
		if isTrue(st.Val) {
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
			if !ok || !isTrue(st.Val) {
				continue
			}
			fa, ok := st.Addr.(*ssa.FieldAddr)
			if !ok || fa.X != ft.base {
				continue
			}
			if k := fieldAddrKey(fa); k == nil || *k != ft.key || !instrBefore(st, instr) {
				continue
			}
			if _, ok := commonLock(fl, ft.load, st, instr); ok {
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
		if _, ok := commonLock(fl, ft.load, recv); !ok {
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
		if !isTrue(st.Val) {
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
				if _, ok := commonLock(fl, st, c); ok {
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
