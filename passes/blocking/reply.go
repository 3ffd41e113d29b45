package blocking

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

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
	return ssax.InTestFile(a.pass.Fset, pos)
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
	all := append([]ssa.Instruction(nil), *refs...)
	// A composite literal copied into the variable it initialises
	// (req := request{reply: make(chan T, 1)}): the copy's field is the
	// same channel.
	for _, r := range *refs {
		load, ok := r.(*ssa.UnOp)
		if !ok || load.Op != token.MUL || load.Referrers() == nil {
			continue
		}
		for _, lr := range *load.Referrers() {
			if st, ok := lr.(*ssa.Store); ok && st.Val == load {
				if al, ok := st.Addr.(*ssa.Alloc); ok && al.Referrers() != nil {
					all = append(all, *al.Referrers()...)
				}
			}
		}
	}
	for _, r := range all {
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
			if callee := c.Call.StaticCallee(); callee != nil && ssax.Origin(callee) != fn {
				if a.removesHolder(ssax.Origin(callee), elem, depth+1) {
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
