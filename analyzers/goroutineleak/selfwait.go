package goroutineleak

import (
	"fmt"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/goroutines"
)

// maxSelfWaitDepth bounds the calls followed from a goroutine's body to
// a Wait on its own WaitGroup.
const maxSelfWaitDepth = 3

// checkSelfWaits reports a goroutine that waits for itself: its function
// defers Done on a WaitGroup field of its receiver (or of another
// parameter), and calls, directly or through the package's functions
// that it hands that object to, Wait on the same field. The Wait counts
// the goroutine's own Done, which runs only once the function returns:
// it never returns (a worker that calls Stop on a fatal error, where
// Stop waits for every worker).
func (c *checker) checkSelfWaits() {
	seen := map[*ssa.Function]bool{}
	for _, s := range c.g.Spawns {
		e := s.Entry
		if s.Kind != goroutines.KindGo || e == nil || e.Blocks == nil || seen[e] || e.Pkg == nil || e.Pkg.Pkg != c.pass.Pkg {
			continue
		}
		seen[e] = true
		for _, d := range deferredDones(e) {
			if wait, via, at := waitsOn(e, d.param, d.field, nil, 0); wait != nil {
				c.reportSelfWait(e, d, wait, via, at)
				break
			}
		}
	}
}

// paramDone is a deferred Done on the WaitGroup field of a parameter.
type paramDone struct {
	instr *ssa.Defer
	param int
	field *types.Var
}

// deferredDones returns fn's deferred Done calls on a WaitGroup field of
// one of its parameters, when fn makes no other Done call on it.
func deferredDones(fn *ssa.Function) []paramDone {
	var out []paramDone
	plain := map[*types.Var]bool{}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			op := syncapi.Call(call.Common())
			if op.Kind != syncapi.WaitGroupDone {
				continue
			}
			p, f := paramField(fn, op.RecvArg(call.Common()))
			if f == nil {
				continue
			}
			if d, isDefer := instr.(*ssa.Defer); isDefer {
				out = append(out, paramDone{d, p, f})
			} else {
				plain[f] = true
			}
		}
	}
	var kept []paramDone
	for _, d := range out {
		if !plain[d.field] {
			kept = append(kept, d)
		}
	}
	return kept
}

// paramField returns, for &p.f with p parameter i of fn (or a free
// variable holding it), i and the field f; else -1, nil.
func paramField(fn *ssa.Function, v ssa.Value) (int, *types.Var) {
	fa, ok := v.(*ssa.FieldAddr)
	if !ok {
		return -1, nil
	}
	x := ssax.Unspill(fa.X)
	for i, p := range fn.Params {
		if p == x {
			return i, ssax.FieldOf(fa)
		}
	}
	return -1, nil
}

// waitsOn returns a Wait on field f of parameter param of fn, made by fn
// or by a function of the package it calls (not starts) with that
// parameter, the chain of functions to it, and fn's instruction that
// leads there.
func waitsOn(fn *ssa.Function, param int, f *types.Var, via []*ssa.Function, depth int) (ssa.Instruction, []*ssa.Function, ssa.Instruction) {
	if depth > maxSelfWaitDepth || fn.Blocks == nil || param >= len(fn.Params) {
		return nil, nil, nil
	}
	for _, v := range via {
		if v == fn {
			return nil, nil, nil
		}
	}
	via = append(via, fn)
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			common := call.Common()
			if op := syncapi.Call(common); op.Kind == syncapi.WaitGroupWait {
				if p, g := paramField(fn, op.RecvArg(common)); g == f && p == param {
					return instr, via, instr
				}
				continue
			}
			callee := common.StaticCallee()
			if callee == nil || callee.Pkg != fn.Pkg {
				continue
			}
			for i, a := range common.Args {
				if ssax.Unspill(a) == fn.Params[param] {
					if w, chain, _ := waitsOn(callee, i, f, via, depth+1); w != nil {
						return w, chain, instr
					}
				}
			}
		}
	}
	return nil, nil, nil
}

func (c *checker) reportSelfWait(entry *ssa.Function, d paramDone, wait ssa.Instruction, via []*ssa.Function, at ssa.Instruction) {
	wg := d.field.Name()
	if name := entry.Params[d.param].Name(); name != "" {
		wg = name + "." + wg
	}
	through := ""
	if len(via) > 1 {
		var fs []string
		for _, f := range via[1:] {
			fs = append(fs, names.Func(f))
		}
		through = " (through " + names.Chain(fs) + ")"
	}
	related := []analysis.RelatedInformation{{Pos: d.instr.Pos(), Message: "the goroutine's Done, deferred until it returns"}}
	if at != wait {
		related = append([]analysis.RelatedInformation{{Pos: wait.Pos(), Message: "the Wait"}}, related...)
	}
	c.report(analysis.Diagnostic{
		Pos:      at.Pos(),
		Category: CatWaitGroup,
		Message: fmt.Sprintf("goroutine leak: the goroutine running %s waits on %s%s before its own deferred %s.Done has run: the Wait never returns",
			names.Func(entry), wg, through, wg),
		Related: related,
	})
}
