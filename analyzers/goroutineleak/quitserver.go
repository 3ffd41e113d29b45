package goroutineleak

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/passes/goroutines"
)

// serverQuits reports the plain sends on an unexported, unbuffered
// channel field whose every receive is a case of a select in the loop
// of a goroutine the package starts, when a case of that select (a stop
// or done channel, ctx.Done()) returns from the goroutine: once it has
// returned, nothing receives, and every later send blocks for ever (a
// send made after the stop by the package's own code). Senders that
// select on the stop channel as well, sends made only under a test of a
// flag of the same object (if c.running), sends in exported functions
// and methods (a Status call after Stop breaks the API's contract), and
// fields closed anywhere are left alone.
func (c *checker) serverQuits(f *types.Var, u *ssax.FieldChan, sends []ssa.Instruction, fields map[*types.Var]*ssax.FieldChan) bool {
	if len(u.Closes) > 0 || len(u.Getters) > 0 || len(u.Recvs) == 0 {
		return false
	}
	entries := c.spawnEntries()
	var quit ssa.Instruction // the return of the quitting case
	var quitSpawn *goroutines.Spawn
	for _, r := range u.Recvs {
		sel, ok := r.Instr.(*ssa.Select)
		fn := r.Instr.Parent()
		s := entries[fn]
		if !ok || !r.InSelect || s == nil || !c.g.InLoop(sel.Block()) {
			return false
		}
		ret := quittingCase(sel, f, func(g *types.Var) bool { return c.closedAfterSends(fields[g], sends) })
		if ret == nil {
			return false
		}
		if quit == nil {
			quit, quitSpawn = ret, s
		}
	}
	var open []ssa.Instruction
	for _, snd := range sends {
		if entries[snd.Parent()] != nil && entries[snd.Parent()] == quitSpawn {
			return false // the server sending to itself
		}
		if !flagGuarded(snd) && !apiMethod(snd.Parent()) {
			open = append(open, snd)
		}
	}
	if len(open) == 0 {
		return false
	}
	c.reportServerQuits(f, open, quit, quitSpawn)
	return true
}

// apiMethod reports whether fn, or the function a closure fn sits in,
// is exported: a request method of the server's API (Status, Value).
// Calling it after Close is the caller's contract to keep, as for most
// types that own a goroutine; the sends left are the package's own
// (callbacks from its connections, its workers), which race with the
// stop by themselves.
func apiMethod(fn *ssa.Function) bool {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return ast.IsExported(fn.Name())
}

// flagGuarded reports whether the send snd runs only on one side of a
// test of a boolean field of the object whose channel it sends on (if
// c.running { c.add <- e }): a lifecycle flag, which the code that stops
// the server clears first.
func flagGuarded(snd ssa.Instruction) bool {
	send, ok := snd.(*ssa.Send)
	if !ok {
		return false
	}
	cfa := ssax.FieldAddrOf(send.Chan)
	if cfa == nil {
		return false
	}
	for _, b := range send.Parent().Blocks {
		br, ok := ssax.BranchOf(b)
		if !ok || !(br.OnTrue.Dominates(send.Block()) || br.OnFalse.Dominates(send.Block())) {
			continue
		}
		if _, fa := ssax.FieldLoad(br.Cond); fa != nil && ssax.SameLocation(fa.X, cfa.X) {
			return true
		}
	}
	return false
}

// spawnEntries maps the functions the package starts as plain
// goroutines to one of their spawns.
func (c *checker) spawnEntries() map[*ssa.Function]*goroutines.Spawn {
	m := map[*ssa.Function]*goroutines.Spawn{}
	for _, s := range c.g.Spawns {
		if s.Entry != nil && s.Kind == goroutines.KindGo {
			if _, seen := m[s.Entry]; !seen {
				m[s.Entry] = s
			}
		}
	}
	return m
}

// quittingCase returns the return reached by a receive case of sel, on
// a channel other than field f's, that leaves the function without
// coming back to sel: the goroutine's way out when it is told to stop.
// Cases on a field for which late holds (closed only after the last
// send) are no way out before the sends end.
func quittingCase(sel *ssa.Select, f *types.Var, late func(*types.Var) bool) ssa.Instruction {
	for k, st := range sel.States {
		if st.Dir != types.RecvOnly {
			continue
		}
		if fa := ssax.FieldAddrOf(st.Chan); fa != nil && (ssax.FieldOf(fa) == f || late(ssax.FieldOf(fa))) {
			continue
		}
		cb, ok := ssax.CaseBlock(sel, k)
		if !ok {
			continue
		}
		if ret := returnBefore(cb, sel.Block()); ret != nil {
			return ret
		}
	}
	return nil
}

// returnBefore returns a return instruction reached from block b on
// every path that does not come back to block back, when every path
// from b returns without reaching back (no other way on); else nil.
func returnBefore(b, back *ssa.BasicBlock) ssa.Instruction {
	var ret ssa.Instruction
	seen := map[*ssa.BasicBlock]bool{}
	var walk func(x *ssa.BasicBlock) bool
	walk = func(x *ssa.BasicBlock) bool {
		if x == back {
			return false
		}
		if seen[x] {
			return true
		}
		seen[x] = true
		last := x.Instrs[len(x.Instrs)-1]
		if r, ok := last.(*ssa.Return); ok {
			if ret == nil {
				ret = r
			}
			return true
		}
		if _, ok := last.(*ssa.Panic); ok {
			return true
		}
		for _, s := range x.Succs {
			if !walk(s) {
				return false
			}
		}
		return true
	}
	if !walk(b) || ret == nil {
		return nil
	}
	return ret
}

func (c *checker) reportServerQuits(f *types.Var, sends []ssa.Instruction, quit ssa.Instruction, s *goroutines.Spawn) {
	related := alsoBlocks([]analysis.RelatedInformation{
		{Pos: retPos(quit), Message: "the receiving goroutine returns here"},
		{Pos: s.Pos, Message: "the receiving goroutine is started here"},
	}, sends[1:])
	c.report(analysis.Diagnostic{
		Pos:      sends[0].Pos(),
		Category: CatOneSided,
		Message: fmt.Sprintf("goroutine leak: the send on %s blocks for ever once the goroutine that receives it has returned on its stop case; nothing else receives from %s: select on the stop channel as well",
			f.Name(), f.Name()),
		Related: related,
	})
}

// closedAfterSends reports whether the channel field u describes is a
// done channel that the sender closes after its last send: nothing sends
// on it, it is closed, and each close is in the function that makes
// every one of sends, where no send can run after it. A receiver that
// returns when it is closed returns only once the sends are over.
//
// Sends in several functions qualify when one go statement starts
// exactly one of them (go strategy(p), strategy picked by a switch
// among methods that nothing else calls or starts): each close is then
// in one of those functions, after that function's last send.
func (c *checker) closedAfterSends(u *ssax.FieldChan, sends []ssa.Instruction) bool {
	if u == nil || u.Unknown || len(u.Sends) > 0 || len(u.Closes) == 0 || len(sends) == 0 {
		return false
	}
	closers := map[*ssa.Function]bool{}
	for _, cl := range u.Closes {
		closers[cl.Parent()] = true
	}
	// A send in a helper that only a closer calls stands at its call
	// site: the helper runs on the closer's goroutine, in its order.
	lifted := make([]ssa.Instruction, len(sends))
	for i, snd := range sends {
		for depth := 0; depth < 4 && !closers[snd.Parent()]; depth++ {
			site := c.soleCaller(snd.Parent())
			if site == nil {
				break
			}
			snd = site
		}
		lifted[i] = snd
	}
	sends = lifted
	senders := map[*ssa.Function]bool{}
	for _, snd := range sends {
		senders[snd.Parent()] = true
	}
	if len(senders) > 1 {
		if !c.exclusiveStarts(senders, closers) {
			return false
		}
	} else {
		for fn := range closers {
			if !senders[fn] {
				return false
			}
		}
	}
	isSend := func(in ssa.Instruction) bool {
		for _, snd := range sends {
			if in == snd {
				return true
			}
		}
		return false
	}
	for _, cl := range u.Closes {
		if _, deferred := cl.(*ssa.Defer); deferred {
			continue // runs as its function returns, after every send
		}
		if ssax.ReachesAvoiding(cl.Block(), ssax.IndexOf(cl)+1, isSend, nil) {
			return false
		}
	}
	return true
}

// exclusiveStarts reports whether the functions of senders and closers
// are among the functions one go statement, run once, may start through
// a function value chosen beforehand (a phi of functions and method
// expressions), and nothing else calls, starts or uses them: at most
// one of them runs.
func (c *checker) exclusiveStarts(senders, closers map[*ssa.Function]bool) bool {
	for _, s := range c.g.Spawns {
		if s.Kind != goroutines.KindGo || s.Site == nil || s.Many || s.Entry != nil {
			continue
		}
		phi, ok := s.Value.(*ssa.Phi)
		if !ok {
			continue
		}
		targets := map[*ssa.Function]bool{}
		for _, e := range phi.Edges {
			fn, ok := e.(*ssa.Function)
			if !ok {
				targets = nil
				break
			}
			if m := ssax.WrappedMethod(fn); m != nil {
				fn = m // a method expression's thunk: (*T).m as a value
			}
			targets[ssax.Origin(fn)] = true
		}
		all := targets != nil
		for fn := range senders {
			all = all && targets[fn]
		}
		for fn := range closers {
			all = all && targets[fn]
		}
		if !all {
			continue
		}
		for fn := range targets {
			if c.usedOtherwise()[fn] {
				return false
			}
			for _, o := range c.g.Spawns {
				if o != s && o.Entry == fn {
					return false
				}
			}
		}
		return true
	}
	return false
}

// soleCaller returns the call that runs fn when fn is an unexported
// function or method of the package that nothing uses but one plain
// call (no go statement, defer or function value), or nil.
func (c *checker) soleCaller(fn *ssa.Function) ssa.Instruction {
	if fn == nil || fn.Parent() != nil || ast.IsExported(fn.Name()) || fn.Pkg == nil {
		return nil
	}
	if site, ok := c.callers[fn]; ok {
		return site
	}
	if c.callers == nil {
		c.callers = map[*ssa.Function]ssa.Instruction{}
	}
	var site ssa.Instruction
	n := 0
	for _, f := range c.funcs {
		for _, b := range f.Blocks {
			for _, in := range b.Instrs {
				for i, op := range in.Operands(nil) {
					if op == nil || *op == nil || *op != ssa.Value(fn) {
						continue
					}
					n++
					if call, ok := in.(*ssa.Call); ok && i == 0 && call.Call.Value == ssa.Value(fn) {
						site = call
					} else {
						n = 2 // a go, a defer, a value
					}
				}
			}
		}
	}
	if n != 1 {
		site = nil
	}
	c.callers[fn] = site
	return site
}
