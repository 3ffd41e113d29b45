package goroutineleak

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// checkNilledSelects reports a select that only receives, in a loop
// nothing leaves, from channels the loop sets to nil (the idiom that
// turns off a case once its channel is closed): once every input has
// been closed, every case is on a nil channel and the select blocks for
// ever, and whatever the loop's function defers (close(out)) never runs.
//
//	for { // BAD: no way out once a and b are both nil
//		select {
//		case v, ok := <-a:
//			if !ok { a = nil; continue }
//			out <- v
//		case v, ok := <-b:
//			if !ok { b = nil; continue }
//			out <- v
//		}
//	}
//
// Safe: for a != nil || b != nil { ... }, or a return when the last
// input closes. A case on any channel the loop does not set to nil
// (ctx.Done(), a stop channel), a send case and a default all keep the
// select alive and are left alone.
func (c *checker) checkNilledSelects(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			var states []*ssa.SelectState
			switch x := instr.(type) {
			case *ssa.Select:
				if !x.Blocking {
					continue
				}
				states = x.States
			case *ssa.UnOp:
				// A select of one case is a plain receive in SSA.
				if x.Op != token.ARROW {
					continue
				}
				states = []*ssa.SelectState{{Dir: types.RecvOnly, Chan: x.X}}
			default:
				continue
			}
			if len(states) == 0 {
				continue
			}
			body := innermostLoop(fn, b)
			if body == nil || loopLeaves(body) {
				continue
			}
			var names []string
			all := true
			for _, st := range states {
				name, ok := nilledIn(st.Chan, body)
				if st.Dir != types.RecvOnly || !ok {
					all = false
					break
				}
				names = append(names, name)
			}
			if !all {
				continue
			}
			what := "this select waits on nil channels"
			if _, plain := instr.(*ssa.UnOp); plain {
				what = "this receive waits on a nil channel"
			}
			c.report(analysis.Diagnostic{
				Pos:      instr.Pos(),
				Category: CatRecv,
				Message: fmt.Sprintf("goroutine leak: once %s %s been set to nil, %s for ever: nothing leaves the loop around it (loop while one is non-nil, or return when the last one closes)",
					strings.Join(names, " and "), map[bool]string{true: "has", false: "have"}[len(names) == 1], what),
			})
		}
	}
}

// loopLeaves reports whether a path leaves the loop body: an edge out
// of it (a return, a break, the loop's condition) or a call that ends
// the goroutine or the program.
func loopLeaves(body map[*ssa.BasicBlock]bool) bool {
	for b := range body {
		if noReturn(b) {
			return true
		}
		if len(b.Succs) == 0 {
			return true // a panic
		}
		for _, s := range b.Succs {
			if !body[s] && !selectMatchedNone(s) {
				return true
			}
		}
	}
	return false
}

// selectMatchedNone reports whether b is the block SSA adds after the
// last case of a blocking select, which panics and is never reached.
func selectMatchedNone(b *ssa.BasicBlock) bool {
	p, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Panic)
	if !ok {
		return false
	}
	mi, ok := p.X.(*ssa.MakeInterface)
	if !ok {
		return false
	}
	k, ok := mi.X.(*ssa.Const)
	return ok && k.Value != nil && k.Value.Kind() == constant.String &&
		strings.HasPrefix(constant.StringVal(k.Value), "blocking select matched no case")
}

// nilledIn reports whether the channel v, as the loop body reads it, is
// set to nil inside the body, and names it: a phi of the loop with a
// nil edge from the body, or a load of a variable's cell that the body
// stores nil into.
func nilledIn(v ssa.Value, body map[*ssa.BasicBlock]bool) (string, bool) {
	switch x := v.(type) {
	case *ssa.Phi:
		seen := map[*ssa.Phi]bool{}
		var walk func(p *ssa.Phi) bool
		walk = func(p *ssa.Phi) bool {
			if seen[p] {
				return false
			}
			seen[p] = true
			for i, e := range p.Edges {
				if !body[p.Block().Preds[i]] {
					continue
				}
				if isNilConst(e) {
					return true
				}
				if q, ok := e.(*ssa.Phi); ok && body[q.Block()] && walk(q) {
					return true
				}
			}
			return false
		}
		if walk(x) {
			return x.Comment, x.Comment != ""
		}
	case *ssa.UnOp:
		var cell ssa.Value
		var name string
		switch a := x.X.(type) {
		case *ssa.Alloc:
			cell, name = a, a.Comment
		case *ssa.FreeVar:
			cell, name = a, a.Name()
		default:
			return "", false
		}
		refs := cell.Referrers()
		if refs == nil || name == "" {
			return "", false
		}
		for _, r := range *refs {
			if st, ok := r.(*ssa.Store); ok && st.Addr == cell && body[st.Block()] && isNilConst(st.Val) {
				return name, true
			}
		}
	}
	return "", false
}
