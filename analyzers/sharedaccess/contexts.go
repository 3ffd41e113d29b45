package sharedaccess

import (
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/goroutines"
)

func (st *state) newContext(root, top *ssa.Function, s *goroutines.Spawn) *context {
	return &context{st: st, root: root, topFn: top, spawn: s, seen: map[*ssa.Function]int{}}
}

// goroutineContext walks the goroutine that s starts, naming memory in
// terms of the spawner's values.
func (st *state) goroutineContext(s *goroutines.Spawn) *context {
	c := st.newContext(s.Parent, s.Entry, s)
	root := &frame{c: c, fn: s.Parent, root: true}
	env := map[ssa.Value]path{}
	for i, p := range s.Entry.Params {
		if i < len(s.Args) {
			if ap, ok := root.resolve(s.Args[i]); ok {
				env[p] = ap
				continue
			}
		}
		env[p] = path{}
	}
	for i, fv := range s.Entry.FreeVars {
		if i < len(s.Bindings) {
			if bp, ok := root.resolve(s.Bindings[i]); ok {
				env[fv] = bp
				continue
			}
		}
		env[fv] = path{}
	}
	fr := &frame{c: c, fn: s.Entry, env: env}
	if len(s.Bindings) == 0 {
		fr.live = ssax.LiveBlocks(s.Entry, s.Args)
	}
	if s.Kind == goroutines.KindParallel {
		if calls := parallelCalls(s.Entry); len(calls) > 0 {
			fr.parallel = func(instr ssa.Instruction) bool {
				for _, call := range calls {
					if st.reach.after(call, instr) {
						return true
					}
				}
				return false
			}
		}
	}
	root.bindFuncs(fr, s.Entry, s.Args, s.Bindings)
	if s.Entry.Blocks == nil && s.Site != nil {
		// A function of another package: use its Accesses fact.
		(&frame{c: c, fn: s.Parent, root: true}).applySummary(s.Site, s.Entry, s.Args, st.locks.Func(s.Parent), false)
	}
	fr.walk()
	if s.Kind == goroutines.KindAfterFunc && len(s.Entry.Blocks) > 0 && len(s.Entry.Blocks[0].Instrs) > 0 {
		// The function starts when the timer fires: a receive from
		// the timer's channel, which Reset sends on. A context's
		// AfterFunc starts when its context is done: a receive from
		// its Done channel, which its cancel function closes.
		first := s.Entry.Blocks[0].Instrs[0]
		if call, ok := s.Site.(*ssa.Call); ok && syncapi.Call(&call.Call).Kind == syncapi.ContextAfterFunc && len(call.Call.Args) > 0 {
			if key, ok := root.ctxDoneKey(unwrapIface(call.Call.Args[0])); ok {
				c.events = append(c.events, event{kind: goroutines.EvRecv, key: key, typ: ctxDoneType, top: first, instr: first, capacity: -1, start: true})
			}
		} else if p, ok := root.resolve(s.Site.(ssa.Value)); ok {
			c.events = append(c.events, event{kind: goroutines.EvRecv, key: p.key + ".C*", top: s.Entry.Blocks[0].Instrs[0], instr: s.Entry.Blocks[0].Instrs[0], capacity: -1, start: true})
		}
	}
	if s.Kind == goroutines.KindHandler && s.Site != nil && len(s.Entry.Blocks) > 0 && len(s.Entry.Blocks[0].Instrs) > 0 {
		// A handler registered on a mux runs for a request, once a
		// server serves it: after the call that starts serving, or
		// that sends a request (httpServeKey's releases).
		first := s.Entry.Blocks[0].Instrs[0]
		c.events = append(c.events, event{kind: goroutines.EvRecv, key: httpServeKey, top: first, instr: first, capacity: -1, start: true})
	}
	if goroutines.IsHandlerSig(s.Entry.Signature) {
		// An HTTP handler's run ends before its response reaches the
		// client (httpRoundTrip's acquire).
		c.events = append(c.events, event{kind: goroutines.EvDone, exit: true, key: httpIOKey})
	}
	if s.Group != nil && (s.Kind == goroutines.KindWaitGroup || s.Kind == goroutines.KindErrgroup) {
		// The group's Wait returns after the function returns.
		ev := event{kind: goroutines.EvDone, exit: true, typ: s.Group.Type().String()}
		if p, ok := root.resolve(s.Group); ok {
			ev.key = p.key
		}
		c.events = append(c.events, ev)
	}
	return c
}

// handlerContext walks a handler function found by its signature.
func (st *state) handlerContext(s *goroutines.Spawn) *context {
	c := st.newContext(s.Entry, s.Entry, s)
	fr := &frame{c: c, fn: s.Entry, env: map[ssa.Value]path{}, root: true}
	fr.walk()
	return c
}

// continuation walks the spawner's instructions that may run after s.
func (st *state) continuation(s *goroutines.Spawn) *context {
	if c, ok := st.conts[s]; ok {
		return c // walked once per spawn: pairs of siblings ask again
	}
	c := st.newContext(s.Parent, s.Parent, s)
	if st.conts == nil {
		st.conts = map[*goroutines.Spawn]*context{}
	}
	st.conts[s] = c
	fr := &frame{c: c, fn: s.Parent, env: map[ssa.Value]path{}, root: true}
	fr.filter = func(instr ssa.Instruction) bool {
		if instr == s.Site || s.Kind == goroutines.KindParallel {
			// A parallel subtest resumes after t.Parallel only once its
			// parent's function has returned: nothing of the parent
			// runs beside it.
			return false
		}
		if s.Kind == kindCall && st.reach.after(instr, s.Site) {
			// In a loop around a call that starts a goroutine, the next
			// iteration is usually gated on that goroutine's state.
			return false
		}
		return st.reach.after(s.Site, instr)
	}
	fr.walk()
	return c
}

// parallelCalls returns fn's calls of (*testing.T).Parallel.
func parallelCalls(fn *ssa.Function) []ssa.Instruction {
	var out []ssa.Instruction
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			if callee := c.Call.StaticCallee(); callee != nil && callee.Name() == "Parallel" && callee.Pkg != nil && callee.Pkg.Pkg.Path() == "testing" {
				out = append(out, c)
			}
		}
	}
	return out
}

// bubbles returns the functions passed to synctest.Run or synctest.Test:
// inside a bubble, fake time orders goroutines deterministically.
func (st *state) bubbles() map[*ssa.Function]bool {
	out := map[*ssa.Function]bool{}
	for _, fn := range st.ssa.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(*ssa.Call)
				if !ok {
					continue
				}
				callee := c.Call.StaticCallee()
				if callee == nil {
					continue
				}
				switch syncapi.Func(callee).Kind {
				case syncapi.SynctestRun, syncapi.SynctestTest:
					for _, a := range c.Call.Args {
						if f, _ := ssax.FuncOf(a); f != nil {
							out[f] = true
						}
					}
				}
			}
		}
	}
	return out
}

func inBubble(fn *ssa.Function, bubbles map[*ssa.Function]bool) bool {
	for f := fn; f != nil; f = f.Parent() {
		if bubbles[f] {
			return true
		}
	}
	return false
}
