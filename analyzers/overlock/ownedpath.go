package overlock

import (
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/passes/blocking"
	"github.com/syncvet/syncvet/passes/lockset"
)

// ownedPath reports whether op is a file-system call of package os (or
// io/ioutil, path/filepath) on a path built from a field of the object
// whose lock l is: a queue kept as files in q.dir, whose every method
// works on the directory under q.mu. The lock serialises access to that
// file resource; holding it across the call is what it is for.
func ownedPath(fl *lockset.FuncLocks, l lockset.Lock, op *blocking.Op) bool {
	if !op.Direct() {
		return false
	}
	call, ok := op.Instr.(*ssa.Call)
	if !ok || call.Call.IsInvoke() {
		return false
	}
	callee := call.Call.StaticCallee()
	if callee == nil || callee.Pkg == nil || callee.Signature.Recv() != nil {
		return false
	}
	switch callee.Pkg.Pkg.Path() {
	case "os", "io/ioutil", "path/filepath":
	default:
		return false
	}
	seen := map[ssa.Value]bool{}
	var owned func(v ssa.Value, depth int) bool
	owned = func(v ssa.Value, depth int) bool {
		if v == nil || depth > 6 || seen[v] {
			return false
		}
		seen[v] = true
		switch x := v.(type) {
		case *ssa.UnOp:
			if fa, ok := x.X.(*ssa.FieldAddr); ok && x.Op == token.MUL {
				return sameObject(fl, l, fa.X)
			}
		case *ssa.BinOp:
			return x.Op == token.ADD && (owned(x.X, depth+1) || owned(x.Y, depth+1))
		case *ssa.ChangeType:
			return owned(x.X, depth+1)
		case *ssa.Convert:
			return owned(x.X, depth+1)
		case *ssa.Slice:
			return owned(x.X, depth+1)
		case *ssa.Alloc:
			// The array behind a variadic argument: its elements.
			for _, r := range *x.Referrers() {
				ia, ok := r.(*ssa.IndexAddr)
				if !ok {
					continue
				}
				for _, u := range *ia.Referrers() {
					if st, ok := u.(*ssa.Store); ok && st.Addr == ssa.Value(ia) && owned(st.Val, depth+1) {
						return true
					}
				}
			}
		case *ssa.Call:
			// A path built by path/filepath or path (Join, Clean, Dir).
			if f := x.Call.StaticCallee(); f != nil && f.Pkg != nil && (f.Pkg.Pkg.Path() == "path/filepath" || f.Pkg.Pkg.Path() == "path") {
				for _, a := range x.Call.Args {
					if owned(a, depth+1) {
						return true
					}
				}
			}
		}
		return false
	}
	for _, a := range call.Call.Args {
		if owned(a, 0) {
			return true
		}
	}
	return false
}

// ioOnlyLock reports whether every critical section of l's class in the
// package writes no memory beyond what it makes itself, directly or in
// the package's functions it calls (four calls deep): a lock that is
// there only to serialise work outside memory (files in a directory the
// package names by a constant), which holding it across that work is
// what it is for. There must be such a section, and no write under it.
func (c *checker) ioOnlyLock(l lockset.Lock) bool {
	if l.Unknown || l.Anonymous() {
		return false
	}
	if v, ok := c.ioOnly[l.Class]; ok {
		return v
	}
	sections, writes := 0, false
	for _, fn := range c.funcs {
		fl := c.ls.Func(fn)
		if fl == nil {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				held := false
				for _, h := range fl.MustHeld(instr) {
					if h.Class == l.Class {
						held = true
					}
				}
				if !held {
					continue
				}
				sections++
				owner := func(v ssa.Value) bool { return sameObject(fl, l, v) }
				if writesUnder(instr, 4, map[*ssa.Function]bool{}, owner) {
					writes = true
				}
			}
		}
	}
	v := sections > 0 && !writes
	if c.ioOnly == nil {
		c.ioOnly = map[string]bool{}
	}
	c.ioOnly[l.Class] = v
	return v
}

// writesUnder reports whether instr writes memory other than what its
// function makes itself (localVar): a store, a map update, a channel
// send or close, or calls a function of its package that does, depth calls
// deep. A call it cannot follow counts as a write.
func writesUnder(instr ssa.Instruction, depth int, seen map[*ssa.Function]bool, owner func(ssa.Value) bool) bool {
	switch x := instr.(type) {
	case *ssa.Store:
		return !localVar(x.Addr, x.Parent(), owner)
	case *ssa.MapUpdate:
		return !localVar(x.Map, x.Parent(), owner)
	case *ssa.Send:
		return true
	case ssa.CallInstruction:
		com := x.Common()
		if b, ok := com.Value.(*ssa.Builtin); ok {
			return b.Name() == "close" || b.Name() == "delete" || b.Name() == "clear"
		}
		if com.IsInvoke() {
			return false // an interface method: the logger, the file
		}
		callee := com.StaticCallee()
		if callee == nil {
			return true
		}
		if callee.Pkg != x.Parent().Pkg || len(callee.Blocks) == 0 {
			return false // another package's function: its own state
		}
		if depth == 0 || seen[callee] {
			return false // deeper than followed: taken as writing nothing
		}
		seen[callee] = true
		for _, b := range callee.Blocks {
			for _, in := range b.Instrs {
				if writesUnder(in, depth-1, seen, nil) {
					return true
				}
			}
		}
	}
	return false
}

// localVar reports whether addr is in a value fn makes itself: a local
// variable, the arguments array of a variadic call, a new object (unless
// owner says it is the object whose lock is held: its fields may be what
// the lock guards, as in a constructor that locks what it builds).
func localVar(addr ssa.Value, fn *ssa.Function, owner func(ssa.Value) bool) bool {
	var root ssa.Value
	if mm, ok := addr.(*ssa.MakeMap); ok {
		root = mm
	} else if a := allocRoot(addr); a != nil {
		root = a
	}
	return root != nil && root.Parent() == fn && (owner == nil || !owner(root))
}
