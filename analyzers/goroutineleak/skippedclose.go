package goroutineleak

import (
	"fmt"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/passes/goroutines"
)

// closeSkipped reports the plain receives from an unexported channel
// field that nothing sends on and that only one goroutine body closes,
// when that goroutine can return without closing it (a serve loop that
// returns on a Listen error before it gets to close(s.done)): a Shutdown
// waiting for the close then blocks for ever. The goroutine must be
// started only by go statements and never called; a deferred close
// counts from where its defer statement runs.
func (c *checker) closeSkipped(f *types.Var, u *ssax.FieldChan, recvs []ssa.Instruction) {
	var g *ssa.Function
	var ops []chanOp
	for _, cl := range u.Closes {
		fn := cl.Parent()
		if g != nil && fn != g {
			return // closed in several places
		}
		g = fn
		ops = append(ops, chanOp{instr: cl, block: cl.Block()})
	}
	if g == nil || len(g.Blocks) == 0 || g.Recover != nil || !c.startedOnly(g) || closeOnState(ops) {
		return
	}
	for _, op := range ops {
		if c.g.InLoop(op.block) {
			return
		}
	}
	ret := walkToReturn(g, g.Blocks[0].Instrs[0], ops, nil, nil)
	if ret == nil {
		return
	}
	for _, r := range recvs {
		if r.Parent() == g {
			return // the goroutine waits on it itself
		}
	}
	name := f.Name()
	for _, r := range recvs {
		c.report(analysis.Diagnostic{
			Pos:      r.Pos(),
			Category: CatRecv,
			Message: fmt.Sprintf("goroutine leak: the receive from %s in %s blocks for ever when the goroutine running %s returns without closing %s, and nothing else closes it or sends on it",
				name, display(r.Parent()), display(g), name),
			Related: []analysis.RelatedInformation{
				{Pos: retPos(ret), Message: display(g) + " returns here without closing " + name},
			},
		})
	}
}

// startedOnly reports whether fn runs only as the body of goroutines
// that go statements start: never called, never used as a value
// otherwise.
func (c *checker) startedOnly(fn *ssa.Function) bool {
	started := false
	for _, s := range c.g.Spawns {
		if s.Entry == nil || ssax.Origin(s.Entry) != ssax.Origin(fn) {
			continue
		}
		if s.Kind != goroutines.KindGo || s.Many {
			return false
		}
		started = true
	}
	if !started {
		return false
	}
	if fn.Parent() != nil {
		return true // a function literal: what the go statement starts
	}
	if fn.Object() == nil || fn.Object().Exported() {
		return false // other packages may call it
	}
	return !c.usedOtherwise()[ssax.Origin(fn)]
}

// usedOtherwise indexes the package's functions that are called, deferred
// or used as values anywhere but as the function of a go statement.
func (c *checker) usedOtherwise() map[*ssa.Function]bool {
	if c.used != nil {
		return c.used
	}
	c.used = map[*ssa.Function]bool{}
	for _, fn := range c.funcs {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				ops := in.Operands(nil)
				if g, ok := in.(*ssa.Go); ok && len(ops) > 0 {
					if _, static := g.Call.Value.(*ssa.Function); static {
						ops = ops[1:] // the function started
					}
				}
				for _, op := range ops {
					if op == nil || *op == nil {
						continue
					}
					if f, ok := (*op).(*ssa.Function); ok {
						c.used[ssax.Origin(f)] = true
					}
				}
			}
		}
	}
	return c.used
}

// closeOnState reports whether a close sits under a test of the
// object's state (if g.routines == 0 { close(g.joined) }): the last of
// several goroutines closes it, and the others return without closing
// by design, a countdown rather than a single closer.
func closeOnState(ops []chanOp) bool {
	for _, op := range ops {
		b := op.instr.Block()
		for d := b.Idom(); d != nil; d = d.Idom() {
			ifi, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
			if !ok {
				continue
			}
			if ssax.ReadsField(ifi.Cond) {
				return true
			}
		}
	}
	return false
}
