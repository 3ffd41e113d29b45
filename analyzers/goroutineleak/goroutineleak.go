package goroutineleak

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/factscope"
	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/internal/panicguard"
	"github.com/syncvet/syncvet/passes/goroutines"
)

// Finding categories.
const (
	CatSend  = "send"  // a send nobody receives
	CatRecv  = "recv"  // a receive nobody serves
	CatRange = "range" // a range over a channel nobody closes
)

// Analyzer reports goroutines that can block for ever on a channel.
var Analyzer = &analysis.Analyzer{
	Name:      "goroutineleak",
	Doc:       Doc,
	URL:       "https://pkg.go.dev/github.com/syncvet/syncvet/analyzers/goroutineleak",
	Requires:  []*analysis.Analyzer{buildssa.Analyzer, goroutines.Analyzer},
	FactTypes: []analysis.Fact{new(PendingSend), new(ChanUse)},
	Run:       panicguard.Wrap("goroutineleak", run),
}

func run(pass *analysis.Pass) (any, error) {
	ssainfo := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	g := pass.ResultOf[goroutines.Analyzer].(*goroutines.Result)
	byParent := map[*ssa.Function][]*goroutines.Spawn{}
	for _, s := range g.Spawns {
		if s.Site != nil && s.Parent != nil && s.Entry != nil {
			byParent[s.Parent] = append(byParent[s.Parent], s)
		}
	}
	c := &checker{pass: pass, g: g, funcs: ssainfo.SrcFuncs}
	if factscope.FactsOnly() {
		// A facts-only unit: its findings are dropped; export the
		// facts (PendingSend, ChanUse) and stop.
		for _, fn := range ssainfo.SrcFuncs {
			if spawns := byParent[fn]; len(spawns) > 0 {
				for _, b := range fn.Blocks {
					for _, instr := range b.Instrs {
						if mk, ok := instr.(*ssa.MakeChan); ok {
							if ci := c.analyzeChan(fn, mk, spawns); ci != nil && len(ci.fnUses.returned) > 0 {
								c.exportPending(ci)
							}
						}
					}
				}
			}
		}
		c.exportChanUses(ssainfo.SrcFuncs)
		return nil, nil
	}
	funcs := ssainfo.SrcFuncs
	if init := ssainfo.Pkg.Func("init"); init != nil {
		// Package variables' initializers and the function literals
		// in them, nested ones included: a field assigned there.
		var inits []*ssa.Function
		var add func(f *ssa.Function)
		add = func(f *ssa.Function) {
			inits = append(inits, f)
			for _, a := range f.AnonFuncs {
				add(a)
			}
		}
		add(init)
		funcs = append(inits, funcs...)
	}
	c.checkConds(funcs)
	c.checkNilChans(funcs)
	c.checkOneSided(funcs)
	c.checkCancelFields(funcs)
	c.checkUnstoppable()
	c.checkSelfWaits()
	for _, fn := range ssainfo.SrcFuncs {
		c.checkPrivate(fn)
		c.checkTimerDrains(fn)
		c.checkNilledSelects(fn)
		spawns := byParent[fn]
		if len(spawns) == 0 {
			continue
		}
		var chans []*chanInfo
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if mk, ok := instr.(*ssa.MakeChan); ok {
					if ci := c.analyzeChan(fn, mk, spawns); ci != nil {
						chans = append(chans, ci)
					} else {
						c.checkSharedSenders(fn, mk, spawns)
						c.checkSiblingConsumer(fn, mk, spawns)
					}
				}
			}
		}
		// The WaitGroup checks first: a Wait that deadlocks with a send
		// marks the channel, whose send is then not reported again.
		c.checkWaitGroups(fn, spawns, chans)
		c.checkAddCount(fn, spawns)
		c.checkGroupDrains(fn, spawns, chans)
		for _, ci := range chans {
			c.checkChan(ci, chans)
		}
		c.selectSkips(fn, chans)
		c.checkDeadSelects(chans)
		c.flushSends()
	}
	c.checkDropped(ssainfo.SrcFuncs)
	c.exportChanUses(ssainfo.SrcFuncs)
	return nil, nil
}

type checker struct {
	pass *analysis.Pass
	// reportedAt holds the positions already reported (report).
	reportedAt map[token.Pos]bool
	g          *goroutines.Result // InLoop: the loop blocks, cached by the pass
	// locals names the variables calls are assigned to, built on use.
	locals *names.Locals
	// pending holds the send leaks of the function being checked.
	pending []sendReport
	// summaries memoizes what the package's functions do with their
	// channel parameters.
	summaries map[*ssa.Function][]ParamUse
	// funcs are the package's functions; used indexes those used other
	// than by a go statement (usedOtherwise).
	funcs []*ssa.Function
	used  map[*ssa.Function]bool
	// callers memoizes soleCaller.
	callers map[*ssa.Function]ssa.Instruction
	// unclosed memoizes neverClosedField; all holds allFuncs.
	unclosed map[*types.Var]bool
	all      []*ssa.Function
}

// assigned returns the name of the variable that the call whose left
// parenthesis is at lparen is assigned to, or "".
func (c *checker) assigned(lparen token.Pos) string {
	if c.locals == nil {
		c.locals = names.NewLocals(c.pass.Files)
	}
	return c.locals.Of(lparen)
}

// checkChan examines one channel; all are the channels of its function,
// for the siblings that the same goroutine sends on instead of it.
func (c *checker) checkChan(ci *chanInfo, all []*chanInfo) {
	if ci.waitDeadlock {
		return
	}
	if len(ci.fnUses.returned) > 0 {
		c.exportPending(ci)
		return
	}
	g := &ci.gUses
	if len(g.sends) > 0 && len(g.recvs) > 0 {
		return
	}
	if g.guarded && (g.otherGuarded || len(g.sends) > 0 || plainRecv(g.recvs) == nil || len(g.recvs) < 2) {
		// A select with another way out; but a watchdog that waits for
		// done or its timer, then for done alone, still waits on done.
		return
	}
	if c.producerSkips(ci) {
		return
	}
	switch {
	case len(g.sends) > 0:
		if c.rangeNeverClosed(ci) {
			return
		}
		recvs, alts := siblingRecvs(ci, all)
		c.sendLeak(ci, recvs, alts)
	case len(g.recvs) > 0:
		c.recvLeak(ci.fn, ci.mk, ci.spawn, &ci.fnUses, g, ci.name)
	}
}

// display names fn in Go syntax (the one renderer, internal/names).
func display(fn *ssa.Function) string { return names.Func(fn) }

// report reports d unless a finding of this check was reported at its
// position already: two rules that see one blocked operation (a channel
// nil on a path, and nobody to serve it) are one root cause.
func (c *checker) report(d analysis.Diagnostic) {
	if c.reportedAt[d.Pos] {
		return
	}
	if c.reportedAt == nil {
		c.reportedAt = map[token.Pos]bool{}
	}
	c.reportedAt[d.Pos] = true
	c.pass.Report(d)
}
