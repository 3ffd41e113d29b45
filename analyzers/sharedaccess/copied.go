package sharedaccess

import (
	"fmt"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/syncapi"
)

// checkCopiedLock reports a method with a value receiver that locks a
// mutex inside its copy of the receiver.
func (st *state) checkCopiedLock(fn *ssa.Function) {
	recv := fn.Signature.Recv()
	if recv == nil || len(fn.Params) == 0 {
		return
	}
	if _, ok := recv.Type().Underlying().(*types.Pointer); ok {
		return
	}
	p0 := fn.Params[0]
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			callee := c.Call.StaticCallee()
			if callee == nil || len(c.Call.Args) == 0 {
				continue
			}
			if op := syncapi.Func(callee); !op.Acquire() || op.Type != syncapi.Mutex && op.Type != syncapi.RWMutex {
				continue
			}
			if !copyOfParam(c.Call.Args[0], p0, 0) {
				continue
			}
			name := exprName(c.Call.Args[0], 0)
			if name == "_" || strings.HasPrefix(name, "_") {
				name = p0.Name() + "." + name
			}
			msg := fmt.Sprintf("unsynchronized access through copied lock: %s locks %s in a copy of its receiver, so the lock guards nothing shared", funcDisplay(fn), name)
			st.report(c.Pos(), CatCopied, msg)
			return
		}
	}
}

// copyOfParam reports whether v addresses a part of a local copy of p.
func copyOfParam(v ssa.Value, p *ssa.Parameter, d int) bool {
	if d > 6 {
		return false
	}
	switch v := v.(type) {
	case *ssa.FieldAddr:
		return copyOfParam(v.X, p, d+1)
	case *ssa.Alloc:
		for _, r := range *v.Referrers() {
			if s, ok := r.(*ssa.Store); ok && s.Addr == v && s.Val == p {
				return true
			}
		}
	}
	return false
}
