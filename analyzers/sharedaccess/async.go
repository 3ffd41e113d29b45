package sharedaccess

import (
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/passes/goroutines"
)

// checkWorkerCallbacks examines callbacks run by worker pools: a
// function that starts several instances of a goroutine calling one of
// its function-valued parameters runs the callback a caller hands it
// concurrently with itself (a ParallelizeUntil-style helper). For each
// call that hands it a known function, the goroutine is walked with the
// caller as root and its instances are paired.
func (st *state) checkWorkerCallbacks(parents []*ssa.Function, byParent map[*ssa.Function][]*goroutines.Spawn, gctx map[*goroutines.Spawn]*context, bubbles map[*ssa.Function]bool) {
	workers := map[*ssa.Function][]*goroutines.Spawn{}
	for _, p := range parents {
		if p.Parent() != nil || !hasFuncParam(p) {
			continue
		}
		for _, s := range byParent[p] {
			if s.Many && s.Kind != kindCall && !st.waitsEach(s, gctx[s], st.continuation(s)) {
				workers[p] = append(workers[p], s)
			}
		}
	}
	if len(workers) == 0 {
		return
	}
	for _, caller := range st.ssa.SrcFuncs {
		if inBubble(caller, bubbles) {
			continue
		}
		for _, b := range caller.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(*ssa.Call)
				if !ok || call.Call.IsInvoke() {
					continue
				}
				callee := call.Call.StaticCallee()
				if callee == nil || callee == caller || len(workers[ssax.Origin(callee)]) == 0 {
					continue
				}
				for _, s := range workers[ssax.Origin(callee)] {
					st.pairWorkerCallback(caller, call, callee, s)
				}
			}
		}
	}
}

func hasFuncParam(fn *ssa.Function) bool {
	for _, p := range fn.Params {
		if _, ok := p.Type().Underlying().(*types.Signature); ok {
			return true
		}
	}
	return false
}

// waitsEach reports whether the spawner of s waits for each instance
// before starting the next (so instances do not overlap).
func (st *state) waitsEach(s *goroutines.Spawn, g, cont *context) bool {
	if g == nil || cont == nil {
		return false
	}
	for _, q := range cont.events {
		if !acquires(q.kind) || !st.reach.after(s.Site, q.top) || !st.reach.after(q.top, s.Site) {
			continue
		}
		for _, r := range g.events {
			if releases(r.kind) && matches(r, q) {
				return true
			}
		}
	}
	return false
}

// pairWorkerCallback walks the workers s that callee starts, as called
// from caller at call, and pairs their instances when a callback the
// caller handed in is reached.
func (st *state) pairWorkerCallback(caller *ssa.Function, call *ssa.Call, callee *ssa.Function, s *goroutines.Spawn) {
	root := &frame{c: nil, fn: caller, env: map[ssa.Value]path{}, root: true}
	known := false
	for _, a := range call.Call.Args {
		if _, ok := a.Type().Underlying().(*types.Signature); ok {
			known = true
		}
	}
	if !known {
		return
	}
	ps := &goroutines.Spawn{
		Kind: goroutines.KindCallback, Site: call, Pos: s.Pos, Parent: caller, Entry: s.Entry, Many: true,
	}
	c := st.newContext(caller, s.Entry, ps)
	root.c = c
	// The worker pool's own frame, its parameters bound to the call.
	pf := &frame{c: c, fn: callee, env: map[ssa.Value]path{}, depth: 1}
	for i, p := range callee.Params {
		if i < len(call.Call.Args) {
			if ap, ok := root.resolve(call.Call.Args[i]); ok {
				pf.env[p] = ap
			} else {
				pf.env[p] = path{}
			}
		}
	}
	root.bindFuncs(pf, callee, call.Call.Args, nil)
	if len(pf.funcs) == 0 {
		return
	}
	env := map[ssa.Value]path{}
	for i, p := range s.Entry.Params {
		env[p] = path{}
		if i < len(s.Args) {
			if ap, ok := pf.resolve(s.Args[i]); ok {
				env[p] = ap
			}
		}
	}
	for i, fv := range s.Entry.FreeVars {
		env[fv] = path{}
		if i < len(s.Bindings) {
			if bp, ok := pf.resolve(s.Bindings[i]); ok {
				env[fv] = bp
			}
		}
	}
	gf := &frame{c: c, fn: s.Entry, env: env, depth: 1}
	pf.bindFuncs(gf, s.Entry, s.Args, s.Bindings)
	if len(gf.funcs) == 0 {
		return
	}
	gf.walk()
	// Only the callback's accesses are new here: the pool's own were
	// paired where it starts its workers.
	var accs []access
	for _, a := range c.accesses {
		if a.fn != s.Entry && st.fromCaller(a.fn, callee) {
			accs = append(accs, a)
		}
	}
	c.accesses = accs
	st.pairInstances(ps, c, nil)
}

// fromCaller reports whether fn is not the worker pool itself nor a
// function only it would reach: a callback of the caller's.
func (st *state) fromCaller(fn, pool *ssa.Function) bool {
	for f := fn; f != nil; f = f.Parent() {
		if f == pool {
			return false
		}
	}
	return true
}

// resolveInvokeSpawn returns a copy of s, a go statement calling an
// interface method, with the method the call reaches as its entry when
// the dynamic type is in sight or the interface has one implementation
// in the package; else s.
func (st *state) resolveInvokeSpawn(s *goroutines.Spawn) *goroutines.Spawn {
	g, ok := s.Site.(*ssa.Go)
	if !ok || !g.Call.IsInvoke() {
		return s
	}
	fr := &frame{c: st.newContext(s.Parent, s.Parent, nil), fn: s.Parent, env: map[ssa.Value]path{}, root: true}
	f := fr.implOf(&g.Call)
	if f == nil {
		return s
	}
	cp := *s
	cp.Entry = f
	return &cp
}

// asyncSpawn is a goroutine a function starts and leaves running when
// it returns, with its accesses named in the function's terms.
type asyncSpawn struct {
	s *goroutines.Spawn
	g *context
}

// kindCall marks a call to a function that starts a goroutine and
// returns while it runs: the call acts as a spawn in its caller.
const kindCall goroutines.Kind = "call"

// checkAsyncCalls treats each call to a function of the package that
// leaves a goroutine running as a spawn in the caller: the goroutine's
// accesses through the callee's parameters, results and globals are
// paired with the caller's accesses after the call and with goroutines
// the caller starts after it. A caller that returns without waiting for
// the goroutine leaves it running in turn, for its own callers
// (constructors that start a loop on the object they return).
func (st *state) checkAsyncCalls(async map[*ssa.Function][]asyncSpawn, bubbles map[*ssa.Function]bool, byParent map[*ssa.Function][]*goroutines.Spawn, gctx map[*goroutines.Spawn]*context) {
	ctors := make([]*ssa.Function, 0, len(async))
	for p := range async {
		ctors = append(ctors, p)
	}
	sort.Slice(ctors, func(i, j int) bool { return ctors[i].Pos() < ctors[j].Pos() })
	for _, p := range ctors {
		for _, as := range async[p] {
			st.checkAPICalls(p, as, st.continuation(as.s))
		}
	}
	for round := 0; round < maxAsyncDepth && len(async) > 0; round++ {
		next := map[*ssa.Function][]asyncSpawn{}
		for _, caller := range st.ssa.SrcFuncs {
			if inBubble(caller, bubbles) {
				continue
			}
			for _, b := range caller.Blocks {
				for _, instr := range b.Instrs {
					call, ok := instr.(*ssa.Call)
					if !ok || call.Call.IsInvoke() {
						continue
					}
					callee := call.Call.StaticCallee()
					if callee == nil || ssax.Origin(callee) == caller {
						continue
					}
					spawns := async[ssax.Origin(callee)]
					if len(spawns) == 0 {
						continue
					}
					live := ssax.LiveBlocks(callee, call.Call.Args)
					for _, as := range spawns {
						if live != nil && as.s.Site != nil && as.s.Site.Parent() == callee && !live[as.s.Site.Block()] {
							continue // the arguments rule out the branch that starts it
						}
						s, g := st.asyncContext(caller, call, ssax.Origin(callee), as)
						if g == nil {
							continue
						}
						cont := st.continuation(s)
						st.pairSpawn(s, g, cont)
						for _, s2 := range byParent[caller] {
							if st.reach.after(call, s2.Site) {
								st.pairSiblings(s, g, s2, gctx[s2], cont)
							}
						}
						if caller.Parent() == nil && !waitsFor(cont, g) {
							next[caller] = append(next[caller], asyncSpawn{s, g})
							st.checkAPICalls(caller, asyncSpawn{s, g}, cont)
						}
					}
				}
			}
		}
		async = next
	}
}

// maxAsyncDepth bounds how many calls up a goroutine left running is
// followed.
const maxAsyncDepth = 3

// waitsFor reports whether the continuation acquires something the
// goroutine releases (a Wait, a receive): it may wait for it.
func waitsFor(cont, g *context) bool {
	for _, q := range cont.events {
		if !acquires(q.kind) {
			continue
		}
		for _, r := range g.events {
			if releases(r.kind) && matches(r, q) {
				return true
			}
		}
	}
	return false
}

// asyncContext names the accesses of the goroutine as leaves running
// (in callee's terms) in terms of caller, which calls callee at call.
// It returns nil when none of them can be named there.
func (st *state) asyncContext(caller *ssa.Function, call *ssa.Call, callee *ssa.Function, as asyncSpawn) (*goroutines.Spawn, *context) {
	s := &goroutines.Spawn{
		Kind: kindCall, Site: call, Pos: as.s.Pos, Parent: caller, Entry: as.s.Entry,
		Many: as.s.Many || st.g.InLoop(call.Block()),
	}
	if st.goSites == nil {
		st.goSites = map[*goroutines.Spawn]ssa.Instruction{}
	}
	st.goSites[s] = st.goSite(as.s)
	g := st.newContext(caller, as.s.Entry, s)
	root := &frame{c: g, fn: caller, env: map[ssa.Value]path{}, root: true}
	results := st.resultKeys(callee)
	// swap replaces the prefix pk of key (a root of the callee) by the
	// caller's path for v.
	swap := func(key, name, pk, pname string, v ssa.Value) (string, string, bool) {
		ap, ok := root.resolve(v)
		if !ok {
			return "", "", false
		}
		if strings.HasPrefix(ap.name, "the value") {
			return ap.key + key[len(pk):], name, true
		}
		return ap.key + key[len(pk):], ap.name + strings.TrimPrefix(name, pname), true
	}
	under := func(key, pk string) bool {
		return strings.HasPrefix(key, pk) && (len(key) == len(pk) || strings.IndexByte(".*[{", key[len(pk)]) >= 0)
	}
	remap := func(key, name string) (string, string, bool) {
		if strings.HasPrefix(key, "g:") {
			return key, name, true
		}
		if strings.HasPrefix(key, "p:") {
			for i, p := range callee.Params {
				pk := "p:" + p.Name()
				if i >= len(call.Call.Args) || !under(key, pk) {
					continue
				}
				return swap(key, name, pk, p.Name(), call.Call.Args[i])
			}
			return "", "", false
		}
		for i, r := range results {
			if r.key == "" || !under(key, r.key) {
				continue
			}
			var v ssa.Value = call
			if len(results) > 1 {
				v = extractOf(call, i)
				if v == nil {
					return "", "", false
				}
			}
			return swap(key, name, r.key, r.name, v)
		}
		return "", "", false
	}
	for _, a := range as.g.accesses {
		k, n, ok := remap(a.loc.key, a.loc.name)
		if !ok {
			continue
		}
		a.loc = path{key: k, name: n, idx: a.loc.idx}
		g.accesses = append(g.accesses, a)
	}
	for _, ev := range as.g.events {
		if ev.key != "" {
			k, _, ok := remap(ev.key, "")
			if !ok {
				k = ""
			}
			ev.key = k
		}
		g.events = append(g.events, ev)
	}
	if len(g.accesses) == 0 {
		return s, nil
	}
	return s, g
}

// resultKeys names, in fn's own terms, the value each of its results
// holds when all its returns agree (the object a constructor returns).
func (st *state) resultKeys(fn *ssa.Function) []path {
	n := fn.Signature.Results().Len()
	if n == 0 {
		return nil
	}
	out := make([]path, n)
	c := st.newContext(fn, fn, nil)
	root := &frame{c: c, fn: fn, env: map[ssa.Value]path{}, root: true}
	first := true
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || len(ret.Results) != n {
			continue
		}
		for i, v := range ret.Results {
			p, ok := root.resolve(v)
			switch {
			case !ok:
				out[i] = path{}
			case first:
				out[i] = p
			case out[i].key != p.key:
				out[i] = path{}
			}
		}
		first = false
	}
	return out
}

// extractOf returns the Extract of result i of call, or nil.
func extractOf(call *ssa.Call, i int) ssa.Value {
	for _, r := range *call.Referrers() {
		if e, ok := r.(*ssa.Extract); ok && e.Index == i {
			return e
		}
	}
	return nil
}
