package goroutineleak

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// CatPrivate is the category of an operation on an unbuffered channel
// that only its own goroutine holds.
const CatPrivate = "private"

// checkPrivate reports a send on, or a receive from, an unbuffered
// channel that its function made and has not yet shared on any path to
// the operation: no other goroutine can be on the other end, so the
// operation blocks for ever.
func (c *checker) checkPrivate(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			mk, ok := in.(*ssa.MakeChan)
			if !ok {
				continue
			}
			if size, ok := constSize(mk); !ok || size != 0 {
				continue
			}
			var ops, shares []ssa.Instruction
			if !privateUses(mk, &ops, &shares, 0) {
				continue
			}
			if len(ops) == 1 && len(shares) == 0 {
				if _, isRecv := ops[0].(*ssa.UnOp); isRecv {
					continue // <-make(chan struct{}): blocking for ever on purpose
				}
			}
			for _, op := range ops {
				if anyReaches(shares, op) {
					continue
				}
				name := chanName(mk, nil)
				if name == "the channel" {
					if n := c.assigned(mk.Pos()); n != "" {
						name = n
					}
				}
				what := "the send on " + name
				if _, isRecv := op.(*ssa.UnOp); isRecv {
					what = "the receive from " + name
				}
				c.report(analysis.Diagnostic{
					Pos:      op.Pos(),
					Category: CatPrivate,
					Message:  fmt.Sprintf("goroutine leak: %s blocks for ever: the channel is unbuffered and no other goroutine can have it yet", what),
				})
				break
			}
		}
	}
}

// privateUses sorts the uses of the channel v (or of a cell holding it)
// into plain sends and receives (ops) and everything that may hand it
// to another goroutine or close it (shares). It reports false when a
// use is not understood.
func privateUses(v ssa.Value, ops, shares *[]ssa.Instruction, depth int) bool {
	if depth > 3 {
		return false
	}
	refs := v.Referrers()
	if refs == nil {
		return true
	}
	for _, r := range *refs {
		switch x := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Send:
			if x.Chan == v {
				*ops = append(*ops, x)
			} else {
				*shares = append(*shares, x)
			}
		case *ssa.UnOp:
			if x.Op == token.ARROW {
				*ops = append(*ops, x)
				continue
			}
			*shares = append(*shares, x)
		case *ssa.ChangeType:
			if !privateUses(x, ops, shares, depth+1) {
				return false
			}
		case *ssa.Store:
			if x.Val != v {
				return false
			}
			alloc, ok := x.Addr.(*ssa.Alloc)
			if !ok || alloc.Heap {
				// A variable a closure captures: shared from here on.
				*shares = append(*shares, x)
				continue
			}
			if !cellUses(alloc, ops, shares, depth+1) {
				return false
			}
		default:
			// A call, close, a go statement, a closure, a return, a
			// select, a conversion to an interface...: shared.
			*shares = append(*shares, r)
		}
	}
	return true
}

// cellUses follows the loads of a local variable that holds the
// channel; any other use of the variable shares it.
func cellUses(cell *ssa.Alloc, ops, shares *[]ssa.Instruction, depth int) bool {
	refs := cell.Referrers()
	if refs == nil {
		return true
	}
	for _, r := range *refs {
		switch x := r.(type) {
		case *ssa.DebugRef, *ssa.Store:
		case *ssa.UnOp:
			if x.Op != token.MUL {
				*shares = append(*shares, r)
				continue
			}
			if !privateUses(x, ops, shares, depth) {
				return false
			}
		default:
			*shares = append(*shares, r)
		}
	}
	return true
}

// anyReaches reports whether one of from can run before to: earlier in
// its block, or in a block from which to's block is reachable.
func anyReaches(from []ssa.Instruction, to ssa.Instruction) bool {
	for _, f := range from {
		if reaches(chanOp{instr: f, block: f.Block()}, chanOp{instr: to, block: to.Block()}) {
			return true
		}
	}
	return false
}
