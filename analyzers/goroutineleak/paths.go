package goroutineleak

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// returnAvoiding returns a return of fn reachable from the instruction
// after from without passing any of ops (in their blocks, or after
// them in from's block), or nil. A return reached only through a
// recover block does not count.
//
// Paths through a test's failure report (t.Error, t.Fatal, t.Skip and
// friends) or a call that does not return (noReturn) are not followed:
// a leak on the way out of a failed test or program is not worth a
// finding. With quiet set, paths through a blocking
// operation on another channel (a receive, a send, a select without
// default) are not followed either: the goroutine may be what unblocks
// it, and the check cannot tell which way it goes (quietWalk).
func returnAvoiding(fn *ssa.Function, from ssa.Instruction, ops []chanOp) ssa.Instruction {
	return walkToReturn(fn, from, ops, nil, nil)
}

// walkToReturn is returnAvoiding with quiet, and with edge, when not
// nil, called on each edge the walk takes: true ends the walk there.
func walkToReturn(fn *ssa.Function, from ssa.Instruction, ops []chanOp, quiet *quietWalk, edge func(b, succ *ssa.BasicBlock) bool) ssa.Instruction {
	stop := map[*ssa.BasicBlock]bool{}
	stopEdge := map[[2]*ssa.BasicBlock]bool{}
	if quiet != nil {
		// A receive case of a select with default is taken only when
		// another party sent or closed (a stop channel): the goroutine
		// then returns on that party's word, which may be what ends
		// the starter too.
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				sel, ok := in.(*ssa.Select)
				if !ok || sel.Blocking {
					continue
				}
				for i, st := range sel.States {
					if st.Dir != types.RecvOnly {
						continue
					}
					if from, to, ok := ssax.CaseEdge(sel, i); ok {
						stopEdge[[2]*ssa.BasicBlock{from, to}] = true
					}
				}
			}
		}
	}
	for _, op := range ops {
		if op.from != nil {
			stopEdge[[2]*ssa.BasicBlock{op.from, op.block}] = true
		} else {
			stop[op.block] = true
		}
	}
	ended := false
	// Branches that no path avoiding ops can take (a loop that leaves
	// only once a flag set by the receive is true) are left out.
	feasible := ssax.FeasibleEdges(from.Block(), func(b, s *ssa.BasicBlock) bool {
		return stopEdge[[2]*ssa.BasicBlock{b, s}] || stop[s]
	})
	succs := func(b *ssa.BasicBlock) []*ssa.BasicBlock {
		var out []*ssa.BasicBlock
		for _, s := range b.Succs {
			if !feasible[ssax.Edge{From: b, To: s}] {
				continue
			}
			if edge != nil && edge(b, s) {
				ended = true
				return nil
			}
			out = append(out, s)
		}
		return out
	}
	start := from.Block()
	// The rest of the starting block.
	after := false
	for _, in := range start.Instrs {
		if in == from {
			after = true
			continue
		}
		if !after {
			continue
		}
		for _, op := range ops {
			if op.instr == in && op.block == start && op.from == nil {
				return nil
			}
		}
		if r, ok := in.(*ssa.Return); ok {
			return r
		}
	}
	seen := map[*ssa.BasicBlock]bool{start: true}
	work := succs(start)
	if ended {
		return start.Instrs[len(start.Instrs)-1]
	}
	for len(work) > 0 {
		b := work[0]
		work = work[1:]
		if seen[b] || stop[b] || b == fn.Recover {
			continue
		}
		seen[b] = true
		if testFailure(b) || noReturn(b) || quiet != nil && quiet.waitsElsewhere(b) {
			continue
		}
		if r, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			return r
		}
		work = append(work, succs(b)...)
		if ended {
			return b.Instrs[len(b.Instrs)-1]
		}
	}
	return nil
}

// testFailure reports whether b reports a test failure or skip through
// a method of testing.T, B, F or TB, or is the branch taken when a
// helper handed the test's T returns an error (`mock, err :=
// accept(t, ln); if err != nil { return }`): such helpers report the
// failure themselves, and a test that has failed is not a leak to
// report.
func testFailure(b *ssa.BasicBlock) bool {
	if failedHelper(b) {
		return true
	}
	for _, in := range b.Instrs {
		call, ok := in.(ssa.CallInstruction)
		if !ok {
			continue
		}
		var fn *types.Func
		if call.Common().IsInvoke() {
			fn = call.Common().Method
		} else if callee := call.Common().StaticCallee(); callee != nil {
			fn, _ = callee.Object().(*types.Func)
		}
		if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "testing" {
			continue
		}
		switch fn.Name() {
		case "Error", "Errorf", "Fatal", "Fatalf", "Fail", "FailNow", "Skip", "Skipf", "SkipNow":
			return true
		}
	}
	return false
}

// failedHelper reports whether b is entered only from the true branch
// of `err != nil`, where err is a result of a call that is passed a
// testing.T, B, F or TB.
func failedHelper(b *ssa.BasicBlock) bool {
	if len(b.Preds) != 1 {
		return false
	}
	p := b.Preds[0]
	ifi, ok := p.Instrs[len(p.Instrs)-1].(*ssa.If)
	if !ok || len(p.Succs) != 2 {
		return false
	}
	cmp, ok := ifi.Cond.(*ssa.BinOp)
	if !ok || (cmp.Op != token.NEQ || p.Succs[0] != b) && (cmp.Op != token.EQL || p.Succs[1] != b) {
		return false
	}
	x := cmp.X
	if c, ok := x.(*ssa.Const); ok && c.IsNil() {
		x = cmp.Y
	} else if c, ok := cmp.Y.(*ssa.Const); !ok || !c.IsNil() {
		return false
	}
	if !types.Identical(x.Type(), types.Universe.Lookup("error").Type()) {
		return false
	}
	var call *ssa.Call
	switch v := x.(type) {
	case *ssa.Extract:
		call, _ = v.Tuple.(*ssa.Call)
	case *ssa.Call:
		call = v
	}
	if call == nil {
		return false
	}
	for _, a := range call.Call.Args {
		if isTestingTB(a.Type()) {
			return true
		}
	}
	return false
}

// isTestingTB reports whether t is *testing.T, *testing.B, *testing.F
// or testing.TB.
func isTestingTB(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "testing" {
		return false
	}
	switch n.Obj().Name() {
	case "T", "B", "F", "TB":
		return true
	}
	return false
}

// quietWalk makes walkToReturn leave out the paths that block on
// another channel. roomy, when set, tells the sends that cannot block
// (the one send into a buffered channel of the starter's), which do not
// end a path.
type quietWalk struct {
	roomy func(*ssa.Send) bool
}

// waitsElsewhere reports whether b blocks on another channel: a receive,
// a send (unless roomy), or a select without default.
func (q *quietWalk) waitsElsewhere(b *ssa.BasicBlock) bool {
	for _, in := range b.Instrs {
		switch x := in.(type) {
		case *ssa.UnOp:
			if x.Op == token.ARROW {
				return true
			}
		case *ssa.Send:
			if q.roomy == nil || !q.roomy(x) {
				return true
			}
		case *ssa.Select:
			if x.Blocking {
				return true
			}
		}
	}
	return false
}

// innermostLoop returns the blocks of the smallest natural loop of fn
// that contains b, or nil. A loop is all the back edges to one header
// together: a continue and the end of the body both close it.
func innermostLoop(fn *ssa.Function, b *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	return loopAround(fn, b, true)
}

// outermostLoop returns the blocks of the outermost loop around b, or
// nil.
func outermostLoop(fn *ssa.Function, b *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	return loopAround(fn, b, false)
}

// loopAround returns the blocks of the innermost (or outermost) loop
// around b, or nil.
func loopAround(fn *ssa.Function, b *ssa.BasicBlock, inner bool) map[*ssa.BasicBlock]bool {
	loops := map[*ssa.BasicBlock]map[*ssa.BasicBlock]bool{}
	var headers []*ssa.BasicBlock
	for _, t := range fn.Blocks {
		for _, h := range t.Succs {
			if !h.Dominates(t) {
				continue
			}
			body := loops[h]
			if body == nil {
				headers = append(headers, h)
				body = map[*ssa.BasicBlock]bool{}
				loops[h] = body
			}
			for x := range naturalLoop(h, t) {
				body[x] = true
			}
		}
	}
	var best map[*ssa.BasicBlock]bool
	for _, h := range headers {
		if body := loops[h]; body[b] && (best == nil || (len(body) < len(best)) == inner) {
			best = body
		}
	}
	return best
}

// naturalLoop returns the blocks of the loop that the back edge t -> h
// closes: h and the blocks that reach t without passing h.
func naturalLoop(h, t *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	body := map[*ssa.BasicBlock]bool{h: true}
	stack := []*ssa.BasicBlock{t}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if body[x] {
			continue
		}
		body[x] = true
		stack = append(stack, x.Preds...)
	}
	return body
}

// retPos is the position of a return, or of the instruction standing
// for an exit.
func retPos(instr ssa.Instruction) token.Pos {
	if instr.Pos().IsValid() {
		return instr.Pos()
	}
	if _, ok := instr.(*ssa.Return); ok {
		// The implicit return at the end of the body: its closing brace.
		switch syn := instr.Parent().Syntax().(type) {
		case *ast.FuncDecl:
			if syn.Body != nil {
				return syn.Body.Rbrace
			}
		case *ast.FuncLit:
			return syn.Body.Rbrace
		}
	}
	return instr.Parent().Pos()
}
