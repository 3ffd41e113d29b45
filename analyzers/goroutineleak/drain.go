package goroutineleak

import (
	"fmt"
	"go/constant"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/goroutines"
)

// checkWaitBeforeDrain reports a Wait on the group whose goroutines
// send on an unbuffered channel that the starter receives from only
// after the Wait: each goroutine blocks in its send before its Done,
// and the starter blocks in the Wait before its first receive.
func (c *checker) checkWaitBeforeDrain(fn *ssa.Function, s *goroutines.Spawn, outer ssa.Value, gCalls, fCalls []wgCall, chans []*chanInfo) {
	if _, local := outer.(*ssa.Alloc); !local {
		return // a shared group: other code may count it down
	}
	var dones []ssa.Instruction
	for _, g := range gCalls {
		switch {
		case g.kind != syncapi.WaitGroupDone:
			return // the goroutine manages the count itself
		case !g.deferred:
			dones = append(dones, g.instr)
		}
	}
	if len(gCalls) == 0 {
		return
	}
	var waits []ssa.Instruction
	for _, f := range fCalls {
		if f.kind == syncapi.WaitGroupWait && !f.deferred {
			waits = append(waits, f.instr)
		}
	}
	c.waitBeforeDrain(fn, s, wgName(outer), waits, dones, chans)
}

// checkGroupDrains is checkWaitBeforeDrain for the goroutines started
// by a WaitGroup's or errgroup's Go, which count down when they return.
func (c *checker) checkGroupDrains(fn *ssa.Function, spawns []*goroutines.Spawn, chans []*chanInfo) {
	for _, s := range spawns {
		if s.Group == nil || s.Kind != goroutines.KindWaitGroup && s.Kind != goroutines.KindErrgroup {
			continue
		}
		var waits []ssa.Instruction
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				call, ok := in.(*ssa.Call)
				if !ok {
					continue
				}
				op := syncapi.Call(call.Common())
				if (op.Kind == syncapi.WaitGroupWait || op.Kind == syncapi.GroupWait) && op.RecvArg(call.Common()) == s.Group {
					waits = append(waits, call)
				}
			}
		}
		c.waitBeforeDrain(fn, s, c.groupName(s.Group), waits, nil, chans)
	}
}

// groupName names a WaitGroup or errgroup for a message.
func (c *checker) groupName(v ssa.Value) string {
	if x, ok := v.(*ssa.Extract); ok {
		if call, ok := x.Tuple.(*ssa.Call); ok {
			if n := c.assigned(call.Pos()); n != "" {
				return n
			}
		}
	}
	if a, ok := v.(*ssa.Alloc); ok && a.Comment != "" {
		return a.Comment
	}
	return "the group"
}

// waitBeforeDrain reports the first of waits (calls of Wait in fn on
// the group of s) that every receive of fn from a channel the goroutine
// sends on unbuffered comes after, when the goroutine can reach the
// send before any of dones (its explicit Done calls).
func (c *checker) waitBeforeDrain(fn *ssa.Function, s *goroutines.Spawn, name string, waits, dones []ssa.Instruction, chans []*chanInfo) {
	if len(waits) == 0 {
		return
	}
	for _, ci := range chans {
		if ci.spawn != s || ci.gUses.guarded || len(ci.gUses.sends) == 0 || len(ci.fnUses.sends) > 0 || len(ci.fnUses.recvs) == 0 {
			continue
		}
		if size, ok := constSize(ci.mk); !ok || size != 0 {
			continue
		}
		entry := s.Entry
		if len(entry.Blocks) == 0 {
			continue
		}
		isSend := opAt(ci.gUses.sends)
		if !ssax.ReachesAvoiding(entry.Blocks[0], 0, isSend, isOneOf(dones)) {
			continue // Done comes first
		}
		for _, w := range waits {
			if !ssax.RunsBefore(s.Site, w) {
				continue
			}
			isRecv := opAt(ci.fnUses.recvs)
			if ssax.ReachesAvoiding(s.Site.Block(), ssax.IndexOf(s.Site)+1, isRecv, isOneOf([]ssa.Instruction{w})) {
				continue // a receive can come before the Wait
			}
			_, recv := ci.fnUses.recvs[0].at()
			_, send := ci.gUses.sends[0].at()
			who := "the goroutine it waits for blocks"
			if s.Many {
				who = "the goroutines it waits for block"
			}
			c.report(analysis.Diagnostic{
				Pos:      w.Pos(),
				Category: CatWaitGroup,
				Message: fmt.Sprintf("goroutine leak: %s.Wait in %s blocks for ever: %s sending on %s, which is unbuffered and which %s receives from only after the Wait; receive before waiting, or wait in another goroutine",
					name, display(fn), who, ci.name, display(fn)),
				Related: []analysis.RelatedInformation{
					{Pos: send.Pos(), Message: "sends here before the goroutine can finish"},
					{Pos: recv.Pos(), Message: "receives here, after the Wait"},
					{Pos: s.Pos, Message: startedHere(s)},
				},
			})
			ci.waitDeadlock = true
			return
		}
	}
}

// opAt returns a test for the instructions where ops run.
func opAt(ops []chanOp) func(ssa.Instruction) bool {
	return func(in ssa.Instruction) bool {
		for _, op := range ops {
			if _, at := op.at(); at == in {
				return true
			}
		}
		return false
	}
}

// isOneOf returns a test for the instructions of list.
func isOneOf(list []ssa.Instruction) func(ssa.Instruction) bool {
	return func(in ssa.Instruction) bool {
		for _, x := range list {
			if x == in {
				return true
			}
		}
		return false
	}
}

// checkAddCount reports a Wait on a group local to fn whose Add calls,
// all constant and all made before the Wait on every path, count more
// than the goroutines fn can start that call Done, one each: the Wait
// never sees the count reach zero.
func (c *checker) checkAddCount(fn *ssa.Function, spawns []*goroutines.Spawn) {
	bySite := map[ssa.Instruction]*goroutines.Spawn{}
	for _, s := range spawns {
		if s.Kind == goroutines.KindGo && s.Entry != nil {
			bySite[s.Site] = s
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if a, ok := instr.(*ssa.Alloc); ok && isWaitGroupPtr(a.Type()) {
				c.addCount(fn, a, bySite)
				c.skippedStart(fn, a)
			}
		}
	}
}

// addCount is checkAddCount for the group wg.
func (c *checker) addCount(fn *ssa.Function, wg *ssa.Alloc, bySite map[ssa.Instruction]*goroutines.Spawn) {
	refs := wg.Referrers()
	if refs == nil {
		return
	}
	var adds []ssa.CallInstruction
	var wait ssa.CallInstruction
	var added int64
	dones := 0
	started := map[*goroutines.Spawn]int{} // how many times each go statement runs
	for _, r := range *refs {
		switch x := r.(type) {
		case *ssa.DebugRef:
			continue
		case *ssa.MakeClosure:
			// The closure must only be started, each start counted: one
			// function literal may be started by several go statements.
			crefs := x.Referrers()
			if crefs == nil {
				return
			}
			for _, cr := range *crefs {
				if _, isDebug := cr.(*ssa.DebugRef); isDebug {
					continue
				}
				g, isGo := cr.(*ssa.Go)
				s := bySite[g]
				if !isGo || g.Call.Value != x || s == nil || started[s] > 0 {
					return
				}
				if started[s] = c.runs(fn, s); started[s] == 0 {
					return
				}
			}
			continue
		case *ssa.Go:
			s := bySite[x]
			if s == nil || started[s] > 0 {
				return
			}
			if started[s] = c.runs(fn, s); started[s] == 0 {
				return
			}
			continue
		case ssa.CallInstruction:
			op := syncapi.Call(x.Common())
			if op.RecvArg(x.Common()) != wg {
				return
			}
			if _, isDefer := x.(*ssa.Defer); isDefer && op.Kind != syncapi.WaitGroupDone {
				return
			}
			switch op.Kind {
			case syncapi.WaitGroupAdd:
				k, ok := syncapi.Arg(x.Common(), 1).(*ssa.Const)
				if !ok || k.Value == nil || k.Value.Kind() != constant.Int || c.g.InLoop(x.Block()) {
					return
				}
				n, exact := constant.Int64Val(k.Value)
				if !exact || n <= 0 {
					return
				}
				added += n
				adds = append(adds, x)
			case syncapi.WaitGroupDone:
				if c.g.InLoop(x.Block()) {
					return
				}
				dones++
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
	if wait == nil || len(adds) == 0 || len(started) == 0 {
		return
	}
	for _, a := range adds {
		if !a.Block().Dominates(wait.Block()) || !ssax.RunsBefore(a, wait) {
			return // counted only on some paths
		}
	}
	// Each goroutine may count down once: one Done outside its loops.
	for s, times := range started {
		in := spawnInput(s, wg)
		if in == nil {
			return
		}
		calls, ok := wgUses(in, s)
		if !ok {
			return
		}
		n := 0
		for _, g := range calls {
			if g.kind != syncapi.WaitGroupDone || c.g.InLoop(g.instr.Block()) {
				return
			}
			n++
		}
		if n > 1 {
			return // Done on several paths: counted once per run below
		}
		dones += n * times
	}
	if added <= int64(dones) {
		return
	}
	name := wgName(wg)
	c.report(analysis.Diagnostic{
		Pos:      wait.Pos(),
		Category: CatWaitGroup,
		Message: fmt.Sprintf("goroutine leak: %s.Wait in %s blocks for ever: %s.Add counts %d but at most %d %s.Done %s",
			name, display(fn), name, added, dones, name, names.Plural(dones, "call runs", "calls run")),
		Related: []analysis.RelatedInformation{
			{Pos: adds[0].Pos(), Message: "counted here"},
		},
	})
}

// runs returns how many times the go statement of s runs in one call of
// fn: once outside loops, the count of a loop bounded by constants
// (ssax.ConstTrips) inside one, or 0 when it cannot say.
func (c *checker) runs(fn *ssa.Function, s *goroutines.Spawn) int {
	if !s.Many {
		return 1
	}
	body := outermostLoop(fn, s.Site.Block())
	if body == nil {
		return 0
	}
	n, ok := ssax.ConstTrips(body, s.Site.Block())
	if !ok || n <= 0 || n > 1<<20 {
		return 0
	}
	return int(n)
}

// spawnInput returns the goroutine entry's value behind the starter's
// value v, or nil.
func spawnInput(s *goroutines.Spawn, v ssa.Value) ssa.Value {
	for i, in := range entryInputs(s) {
		if outerValue(s, i) == v {
			return in
		}
	}
	return nil
}
