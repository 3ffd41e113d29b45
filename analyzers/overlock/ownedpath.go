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
