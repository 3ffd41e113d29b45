package goroutineleak

import (
	"fmt"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
)

// CatSkippedStart is the category of a WaitGroup counted for every item
// of a loop that can skip starting the goroutine for one.
const CatSkippedStart = "skipped-start"

// skippedStart reports a Wait on the local WaitGroup wg added
// len(items) once before a loop, whose only Done calls are in the
// goroutines the loop starts (one go statement), when an iteration can
// go on to the next (a continue) without starting the goroutine or
// calling Done: the count never reaches zero and Wait blocks for ever.
// (checkAddCount calls it for each local WaitGroup.)
//
//	wg.Add(len(items))
//	for _, it := range items {
//		if it == nil {
//			continue // no goroutine, no Done
//		}
//		go func() { defer wg.Done(); use(it) }()
//	}
//	wg.Wait()
func (c *checker) skippedStart(fn *ssa.Function, wg *ssa.Alloc) {
	refs := wg.Referrers()
	if refs == nil {
		return
	}
	var add, wait ssa.CallInstruction
	var start *ssa.Go
	var fnDones []ssa.Instruction
	for _, r := range *refs {
		switch x := r.(type) {
		case *ssa.DebugRef:
		case *ssa.MakeClosure:
			// The closure calls Done; it must be started by one go
			// statement and go nowhere else.
			for _, cr := range *x.Referrers() {
				switch g := cr.(type) {
				case *ssa.DebugRef:
				case *ssa.Go:
					if g.Call.Value != x || start != nil {
						return
					}
					start = g
				default:
					return
				}
			}
		case ssa.CallInstruction:
			op := syncapi.Call(x.Common())
			if op.RecvArg(x.Common()) != wg {
				return
			}
			switch op.Kind {
			case syncapi.WaitGroupAdd:
				if add != nil || !lenArg(syncapi.Arg(x.Common(), 1)) {
					return
				}
				add = x
			case syncapi.WaitGroupDone:
				fnDones = append(fnDones, x)
			case syncapi.WaitGroupWait:
				if wait != nil {
					return
				}
				wait = x
			default:
				return
			}
		default:
			return
		}
	}
	if add == nil || wait == nil || start == nil || c.g.InLoop(add.Block()) {
		return
	}
	body := innermostLoop(fn, start.Block())
	if body == nil || body[add.Block()] || body[wait.Block()] {
		return
	}
	var header *ssa.BasicBlock
	for h := range body {
		if header == nil || h.Dominates(header) {
			header = h
		}
	}
	if header == nil || !add.Block().Dominates(header) {
		return
	}
	stop := map[*ssa.BasicBlock]bool{start.Block(): true}
	for _, d := range fnDones {
		stop[d.Block()] = true
	}
	// An iteration that gets back to the header without starting the
	// goroutine or calling Done: the continue that skips an item.
	var skip *ssa.BasicBlock
	seen := map[*ssa.BasicBlock]bool{}
	var walk func(b *ssa.BasicBlock) bool
	walk = func(b *ssa.BasicBlock) bool {
		if seen[b] || stop[b] || !body[b] {
			return false
		}
		seen[b] = true
		for _, s := range b.Succs {
			if s == header {
				skip = b
				return true
			}
			if walk(s) {
				return true
			}
		}
		return false
	}
	for _, s := range header.Succs {
		if body[s] && s != header && walk(s) {
			break
		}
	}
	if skip == nil {
		return
	}
	pos := skip.Instrs[len(skip.Instrs)-1].Pos()
	if !pos.IsValid() {
		for _, in := range skip.Instrs {
			if in.Pos().IsValid() {
				pos = in.Pos()
				break
			}
		}
	}
	c.report(analysis.Diagnostic{
		Pos:      wait.Pos(),
		Category: CatSkippedStart,
		Message: fmt.Sprintf("goroutine leak: %s.Wait blocks for ever when an item is skipped: the Add counts every item, but an iteration can go on without starting the goroutine that calls Done",
			wgName(wg)),
		Related: []analysis.RelatedInformation{
			{Pos: add.Pos(), Message: "counted here"},
			{Pos: pos, Message: "an iteration goes on from here without starting it"},
			{Pos: start.Pos(), Message: "the goroutine that calls Done is started here"},
		},
	})
}

// lenArg reports whether v is len(x) (through a conversion).
func lenArg(v ssa.Value) bool {
	v = ssax.Unwrap(v, ssax.WrapChangeType)
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	b, ok := call.Call.Value.(*ssa.Builtin)
	return ok && b.Name() == "len"
}
