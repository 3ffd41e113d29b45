package goroutineleak

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/goroutines"
)

// CatWaitGroup is the category of a WaitGroup.Wait that can wait for
// ever.
const CatWaitGroup = "waitgroup"

// wgCall is a call of a WaitGroup method.
type wgCall struct {
	instr    ssa.CallInstruction
	kind     syncapi.Kind
	deferred bool
}

// wgUses returns the WaitGroup calls on v in its function (v itself,
// a free variable or a parameter of the function), and false when v
// goes anywhere else than to them and to the spawn s: unknown code may
// call Done.
func wgUses(v ssa.Value, s *goroutines.Spawn) ([]wgCall, bool) {
	refs := v.Referrers()
	if refs == nil {
		return nil, true
	}
	var calls []wgCall
	for _, r := range *refs {
		switch x := r.(type) {
		case *ssa.DebugRef:
		case *ssa.MakeClosure:
			if x != s.Value {
				return nil, false
			}
		case ssa.CallInstruction:
			if x == s.Site {
				continue
			}
			op := syncapi.Call(x.Common())
			switch op.Kind {
			case syncapi.WaitGroupAdd, syncapi.WaitGroupDone, syncapi.WaitGroupWait:
			default:
				return nil, false
			}
			if op.RecvArg(x.Common()) != v {
				return nil, false
			}
			_, isDefer := x.(*ssa.Defer)
			if _, isGo := x.(*ssa.Go); isGo {
				return nil, false
			}
			calls = append(calls, wgCall{instr: x, kind: op.Kind, deferred: isDefer})
		default:
			return nil, false
		}
	}
	return calls, true
}

// checkWaitGroups looks at the goroutines fn starts with a go statement
// and the WaitGroup each calls Done on: a path of the goroutine that
// returns without Done leaves fn's Wait waiting for ever, and a Wait in
// the loop that starts the goroutines, on a count added for all of
// them before the loop, waits for goroutines not yet started; a Wait
// before the starter receives what the goroutines send unbuffered
// waits for goroutines blocked in that send.
func (c *checker) checkWaitGroups(fn *ssa.Function, spawns []*goroutines.Spawn, chans []*chanInfo) {
	for _, s := range spawns {
		if s.Kind != goroutines.KindGo || s.Entry == nil {
			continue
		}
		for i, inner := range entryInputs(s) {
			outer := outerValue(s, i)
			if outer == nil || !isWaitGroupPtr(inner.Type()) {
				continue
			}
			gCalls, ok := wgUses(inner, s)
			if !ok {
				continue
			}
			fCalls, ok := wgUses(outer, s)
			if !ok {
				continue
			}
			c.checkDoneSkipped(fn, s, outer, gCalls, fCalls)
			c.checkWaitInLoop(fn, s, outer, gCalls, fCalls)
			c.checkWaitBeforeDrain(fn, s, outer, gCalls, fCalls, chans)
		}
	}
}

// entryInputs returns the values through which the goroutine's entry
// sees what its starter hands it: the free variables of a closure, or
// the parameters of a function started with arguments.
func entryInputs(s *goroutines.Spawn) []ssa.Value {
	if len(s.Bindings) > 0 {
		out := make([]ssa.Value, len(s.Entry.FreeVars))
		for i, fv := range s.Entry.FreeVars {
			out[i] = fv
		}
		return out
	}
	out := make([]ssa.Value, len(s.Entry.Params))
	for i, p := range s.Entry.Params {
		out[i] = p
	}
	return out
}

// outerValue returns the starter's value behind entry input i.
func outerValue(s *goroutines.Spawn, i int) ssa.Value {
	if len(s.Bindings) > 0 {
		if i < len(s.Bindings) {
			return s.Bindings[i]
		}
		return nil
	}
	if i < len(s.Args) {
		return s.Args[i]
	}
	return nil
}

// isWaitGroupPtr reports whether t is *sync.WaitGroup.
func isWaitGroupPtr(t types.Type) bool {
	return syncapi.TypeOf(t) == syncapi.WaitGroup
}

// wgName names the WaitGroup for a message: its variable, or "the WaitGroup".
func wgName(v ssa.Value) string {
	if a, ok := v.(*ssa.Alloc); ok && a.Comment != "" {
		return a.Comment
	}
	return "the WaitGroup"
}

// checkDoneSkipped reports a goroutine path that returns without
// calling Done, when its starter waits on the group after starting it.
func (c *checker) checkDoneSkipped(fn *ssa.Function, s *goroutines.Spawn, outer ssa.Value, gCalls, fCalls []wgCall) {
	var done []chanOp
	for _, g := range gCalls {
		switch {
		case g.kind == syncapi.WaitGroupDone && g.deferred:
			return // deferred: every return calls it
		case g.kind == syncapi.WaitGroupDone:
			if c.g.InLoop(g.instr.Block()) {
				return // one Done per item of work, not per goroutine
			}
			done = append(done, chanOp{instr: g.instr, block: g.instr.Block()})
		case g.kind == syncapi.WaitGroupAdd || g.kind == syncapi.WaitGroupWait:
			return // the goroutine manages the count itself
		}
	}
	if len(done) == 0 || !countsGoroutines(fn, s, fCalls) {
		return
	}
	wait := waitAfter(s.Site, fCalls)
	if wait == nil {
		return
	}
	ret := skipsDone(s.Entry, done)
	if ret == nil {
		return
	}
	name := wgName(outer)
	c.report(analysis.Diagnostic{
		Pos:      retPos(ret),
		Category: CatWaitGroup,
		Message: fmt.Sprintf("goroutine leak: the goroutine returns here without calling %s.Done, so %s.Wait in %s blocks for ever; defer %s.Done() at the top of the goroutine",
			name, name, display(fn), name),
		Related: []analysis.RelatedInformation{
			{Pos: wait.Pos(), Message: "waits here for ever"},
			{Pos: done[0].instr.Pos(), Message: "Done is called only on other paths"},
			{Pos: s.Pos, Message: startedHere(s)},
		},
	})
}

// countsGoroutines reports whether the starter's Add calls count the
// goroutines that s starts, one each: Add(1) in the iteration that
// starts one, or for goroutines started in a loop, an Add of a
// computed count (len(items)) before the loop. A group counting
// something else (one event that one of several goroutines signals)
// does not expect a Done from each.
func countsGoroutines(fn *ssa.Function, s *goroutines.Spawn, fCalls []wgCall) bool {
	body := innermostLoop(fn, s.Site.Block())
	var adds []wgCall
	for _, f := range fCalls {
		if f.kind == syncapi.WaitGroupAdd {
			adds = append(adds, f)
		}
	}
	if len(adds) != 1 {
		return false
	}
	add := adds[0].instr
	one := isConst(syncapi.Arg(add.Common(), 1), 1)
	if !s.Many {
		return one
	}
	if body == nil {
		return false
	}
	if body[add.Block()] {
		return one
	}
	_, isConstArg := syncapi.Arg(add.Common(), 1).(*ssa.Const)
	return !isConstArg
}

// isConst reports whether v is the integer constant n.
func isConst(v ssa.Value, n int64) bool {
	k, ok := v.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
		return false
	}
	got, exact := constant.Int64Val(k.Value)
	return exact && got == n
}

// waitAfter returns a Wait of calls that can run after site, or nil.
func waitAfter(site ssa.Instruction, calls []wgCall) ssa.Instruction {
	for _, f := range calls {
		if f.kind == syncapi.WaitGroupWait && !f.deferred && reaches(chanOp{instr: site, block: site.Block()}, chanOp{instr: f.instr, block: f.instr.Block()}) {
			return f.instr
		}
	}
	return nil
}

// skipsDone returns a return of the goroutine's entry reachable from its
// start without passing a Done, or nil. Paths that end the program or
// the goroutine otherwise (a panic, os.Exit, log.Fatal, a failed test)
// do not count.
func skipsDone(entry *ssa.Function, done []chanOp) ssa.Instruction {
	if len(entry.Blocks) == 0 {
		return nil
	}
	stop := map[*ssa.BasicBlock]bool{}
	for _, d := range done {
		stop[d.block] = true
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := []*ssa.BasicBlock{entry.Blocks[0]}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] || stop[b] || b == entry.Recover {
			continue
		}
		seen[b] = true
		if testFailure(b) || noReturn(b) {
			continue
		}
		if r, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			return r
		}
		if rangeTest(b) {
			// The loop over a channel ends when it is closed, which may
			// never happen (a ticker's): follow only the body.
			work = append(work, b.Succs[0])
			continue
		}
		work = append(work, b.Succs...)
	}
	return nil
}

// checkWaitInLoop reports a Wait inside the loop that starts the
// goroutines, on a count added once before the loop for more than one
// goroutine: the first Wait already waits for goroutines that later
// iterations would start.
func (c *checker) checkWaitInLoop(fn *ssa.Function, s *goroutines.Spawn, outer ssa.Value, gCalls, fCalls []wgCall) {
	if !s.Many {
		return
	}
	calledDone := false
	for _, g := range gCalls {
		switch g.kind {
		case syncapi.WaitGroupDone:
			calledDone = true
		default:
			return
		}
	}
	body := innermostLoop(fn, s.Site.Block())
	if !calledDone || body == nil {
		return
	}
	var add, wait ssa.CallInstruction
	for _, f := range fCalls {
		b := f.instr.Block()
		switch f.kind {
		case syncapi.WaitGroupAdd:
			if body[b] {
				return // counted per iteration
			}
			if add != nil || !b.Dominates(s.Site.Block()) {
				return
			}
			add = f.instr
		case syncapi.WaitGroupWait:
			if body[b] && !f.deferred && reaches(chanOp{instr: s.Site, block: s.Site.Block()}, chanOp{instr: f.instr, block: b}) {
				wait = f.instr
			}
		}
	}
	if add == nil || wait == nil {
		return
	}
	n := syncapi.Arg(add.Common(), 1)
	if k, ok := n.(*ssa.Const); ok && k.Value != nil && k.Value.Kind() == constant.Int {
		if v, exact := constant.Int64Val(k.Value); exact && v <= 1 {
			return
		}
	}
	name := wgName(outer)
	c.report(analysis.Diagnostic{
		Pos:      wait.Pos(),
		Category: CatWaitGroup,
		Message: fmt.Sprintf("goroutine leak: %s.Wait inside the loop waits for every goroutine that %s.Add counted before the loop, but only the iterations so far have started theirs: it blocks for ever",
			name, name),
		Related: []analysis.RelatedInformation{
			{Pos: add.Pos(), Message: "counted here for the whole loop"},
			{Pos: s.Pos, Message: "one goroutine started per iteration"},
		},
	})
}

// noReturn reports whether b calls a function that does not return to
// it: os.Exit, log.Fatal and log.Panic and their forms, a logger's
// Fatal and Panic methods, runtime.Goexit.
func noReturn(b *ssa.BasicBlock) bool {
	for _, in := range b.Instrs {
		call, ok := in.(*ssa.Call)
		if !ok {
			continue
		}
		callee := call.Call.StaticCallee()
		if callee == nil || callee.Pkg == nil {
			continue
		}
		switch callee.Pkg.Pkg.Path() + "." + callee.Name() {
		case "os.Exit", "runtime.Goexit",
			"log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf", "log.Panicln":
			return true
		}
		if callee.Signature.Recv() != nil && callee.Pkg.Pkg.Path() != "testing" {
			// A logger's Fatal and Panic methods (log.Logger's, and by
			// the convention logging packages follow, others').
			switch callee.Name() {
			case "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln":
				return true
			}
		}
	}
	return false
}

// rangeTest reports whether b ends by testing a receive's ok: the head
// of a loop over a channel, whose false edge is taken when the channel
// is closed.
func rangeTest(b *ssa.BasicBlock) bool {
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return false
	}
	ext, ok := ifi.Cond.(*ssa.Extract)
	if !ok || ext.Index != 1 {
		return false
	}
	u, ok := ext.Tuple.(*ssa.UnOp)
	return ok && u.Op == token.ARROW && u.CommaOk
}
