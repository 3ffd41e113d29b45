package sharedaccess

import (
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/goroutines"
	"github.com/syncvet/syncvet/passes/lockset"
)

// Analyzer reports unsynchronized access to shared memory.
var Analyzer = &analysis.Analyzer{
	Name:      "sharedaccess",
	Doc:       Doc,
	URL:       "https://pkg.go.dev/github.com/syncvet/syncvet/analyzers/sharedaccess",
	Requires:  []*analysis.Analyzer{buildssa.Analyzer, goroutines.Analyzer, lockset.Analyzer},
	Run:       run,
	FactTypes: []analysis.Fact{new(Guarded), new(Accesses), new(ChanGetter)},
}

// Report categories.
const (
	CatSpawn     = "spawn"        // a goroutine and its spawner
	CatInstances = "instances"    // instances of one goroutine body
	CatSiblings  = "siblings"     // two goroutines of one spawner
	CatGuard     = "guard"        // a field accessed without its inferred guard
	CatRLock     = "rlock-write"  // a write under a read lock
	CatEscape    = "escape"       // guarded state returned out of its critical section
	CatCopied    = "copied-lock"  // a value receiver locks a copy of its mutex
	CatChecklock = "checklocks"   // a +checklocks annotation broken
	CatMixed     = "mixed-atomic" // a plain write to memory accessed atomically
)

type state struct {
	getters    map[*ssa.Function]*ChanGetter // chanGetterOf's answers
	sentChans  map[types.Object]bool         // channels the package sends on (ssax.SentChannels)
	spawnSites map[ssa.Instruction]bool      // the spawns' sites (spawnSite)
	// entry holds, for the unexported functions that only the package
	// calls, the locks held at every call site (entryHeld).
	entry map[*ssa.Function][]lockset.Lock
	// callerLockedMemo memoizes callerLocked.
	callerLockedMemo map[*ssa.Function]bool
	pass             *analysis.Pass
	ssa              *buildssa.SSA
	g                *goroutines.Result
	locks            *lockset.Result
	ids              map[ssa.Value]string
	atomicKeys       map[string]bool
	flagOneWay       map[*types.Var]bool    // flagGated's one-way flags
	ctors            map[*ssa.Function]bool // constructors returning fresh objects (ssax.FreshResult)
	publish          map[ssa.Value]publishPoints
	reach            *reachability
	reported         map[string]bool
	atPos            map[token.Pos][]analysis.Diagnostic // findings recorded by report, by position
	posOrder         []token.Pos
	atomicClasses    map[string]bool
	atomicSites      map[string]ssa.Instruction // first sync/atomic call on each class
	factCache        map[*types.Func]*Accesses
	onceFuncs        map[*ssa.Function]bool
	chanCaps         map[string]int64
	customCalls      map[*ssa.Function][]customCall // memo of lockLikeCalls
	onceDo           map[*ssa.Function][]*ssa.Call  // memo of onceCalls
	impls            map[*types.Named]types.Type    // memo of soleImpl
	names            map[token.Pos]string           // memo of localName
	tuples           map[tupleRef]string            // memo of tupleName
	detachedMemo     map[*ssa.UnOp]bool             // memo of detached
	sends            map[types.Object]bool          // channels the package sends on (publish.go)
	siblings         map[string]*siblingReport      // pending sibling findings (see groupFinding)
	unsafeTypes      map[*types.Var]bool            // fields of types documented as not concurrency-safe
	// closeOrdered holds the reads of unexported fields that come after
	// a receive from a channel the package closes after every write of
	// the field (publishedByClose): other packages' goroutines cannot
	// race with them, so Accesses facts leave them out.
	closeOrdered map[ssa.Instruction]bool
	siblingOrder []string
}

func (st *state) id(v ssa.Value) string {
	if s, ok := st.ids[v]; ok {
		return s
	}
	s := strconv.Itoa(len(st.ids))
	st.ids[v] = s
	return s
}

func run(pass *analysis.Pass) (res any, err error) {
	defer func() {
		if r := recover(); r != nil {
			res = nil
			err = fmt.Errorf("internal error in sharedaccess: %v\n%s", r, debug.Stack())
		}
	}()
	if p := pass.Pkg.Path(); p == "runtime" || strings.HasPrefix(p, "runtime/internal/") || strings.HasPrefix(p, "internal/runtime/") {
		// The runtime is not instrumented by the race detector and
		// synchronises with its own locks and atomics.
		return nil, nil
	}
	st := &state{
		pass:         pass,
		ssa:          pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA),
		g:            pass.ResultOf[goroutines.Analyzer].(*goroutines.Result),
		locks:        pass.ResultOf[lockset.Analyzer].(*lockset.Result),
		ids:          map[ssa.Value]string{},
		atomicKeys:   map[string]bool{},
		ctors:        map[*ssa.Function]bool{},
		flagOneWay:   map[*types.Var]bool{},
		publish:      map[ssa.Value]publishPoints{},
		reach:        newReachability(),
		reported:     map[string]bool{},
		factCache:    map[*types.Func]*Accesses{},
		detachedMemo: map[*ssa.UnOp]bool{},
		chanCaps:     map[string]int64{},
	}
	notes, annotated := st.annotations()
	st.entry = st.entryHeld(notes)
	st.checkSpawns()
	st.checkGuards(notes, annotated)
	st.flushReports()
	st.exportSummaries()
	return nil, nil
}

// checkSpawns pairs the accesses of each spawned goroutine with those of
// its spawner after the spawn, with other instances of itself, and with
// goroutines spawned after it by the same function.
func (st *state) checkSpawns() {
	byParent := map[*ssa.Function][]*goroutines.Spawn{}
	var parents []*ssa.Function
	bubbles := st.bubbles()
	for _, s := range st.g.Spawns {
		if s.Entry == nil && s.Invoke != nil && s.Parent != nil {
			s = st.resolveInvokeSpawn(s)
		}
		if s.Entry == nil || s.Parent != nil && inBubble(s.Parent, bubbles) {
			continue
		}
		if s.Site == nil {
			// A handler: its instances race with each other.
			g := st.handlerContext(s)
			st.pairInstances(s, g, nil)
			continue
		}
		if byParent[s.Parent] == nil {
			parents = append(parents, s.Parent)
		}
		byParent[s.Parent] = append(byParent[s.Parent], s)
	}
	async := map[*ssa.Function][]asyncSpawn{}
	gctx := map[*goroutines.Spawn]*context{}
	for _, p := range parents {
		spawns := byParent[p]
		gs := make([]*context, len(spawns))
		for i, s := range spawns {
			gs[i] = st.goroutineContext(s)
			gctx[s] = gs[i]
			if p.Parent() == nil {
				async[p] = append(async[p], asyncSpawn{s, gs[i]})
			}
		}
		for i, s := range spawns {
			cont := st.continuation(s)
			st.pairSpawn(s, gs[i], cont)
			if s.Many {
				st.pairInstances(s, gs[i], cont)
			}
			for j := i + 1; j < len(spawns); j++ {
				switch {
				case st.reach.after(s.Site, spawns[j].Site):
					st.pairSiblings(s, gs[i], spawns[j], gs[j], cont)
				case st.reach.after(spawns[j].Site, s.Site):
					st.pairSiblings(spawns[j], gs[j], s, gs[i], st.continuation(spawns[j]))
				}
			}
		}
	}
	st.checkAsyncCalls(async, bubbles, byParent, gctx)
	st.checkWorkerCallbacks(parents, byParent, gctx, bubbles)
	st.flushSiblings()
}

// A siblingReport is one conflict between goroutines that one function
// starts, or between one of them and the function itself. Several
// conflicts on one variable in one function are one root cause: they
// are reported once, at the first, with the others counted and their
// go statements as related positions.
type siblingReport struct {
	cat    string
	name   string // the variable
	parent string // the function that starts the goroutines
	pos    token.Pos
	msg    string
	rel    []analysis.RelatedInformation
	more   int
	spawn  map[token.Pos]bool // go statements already named
}

// groupFinding records a conflict of category cat over a's memory
// between the goroutine of s1 and the goroutine of s2 (CatSiblings) or
// s1's spawner (CatSpawn, s2 nil).
func (st *state) groupFinding(cat string, s1, s2 *goroutines.Spawn, a *access, r siblingReport) {
	key := strconv.Itoa(int(s1.Parent.Pos())) + "|" + s1.Parent.String() + "|" + a.loc.name
	starts := []token.Pos{s1.Pos}
	if s2 != nil {
		starts = append(starts, s2.Pos)
	}
	g, ok := st.siblings[key]
	if !ok {
		if st.siblings == nil {
			st.siblings = map[string]*siblingReport{}
		}
		r.cat, r.name, r.parent = cat, a.loc.name, funcDisplay(s1.Parent)
		r.spawn = map[token.Pos]bool{}
		for _, p := range starts {
			r.spawn[p] = true
		}
		st.siblings[key] = &r
		st.siblingOrder = append(st.siblingOrder, key)
		return
	}
	g.more++
	for _, p := range starts {
		if !g.spawn[p] && len(g.spawn) < maxSiblingRelated {
			g.spawn[p] = true
			g.rel = append(g.rel, related(p, "another goroutine started here"))
		}
	}
}

// maxSiblingRelated caps the go statements named by one finding.
const maxSiblingRelated = 8

// flushSiblings reports the recorded sibling pairs, one finding per
// spawning function and variable.
func (st *state) flushSiblings() {
	for _, key := range st.siblingOrder {
		g := st.siblings[key]
		msg := g.msg
		switch {
		case g.more == 1:
			msg += fmt.Sprintf(" (and 1 more conflict on %s among the goroutines %s starts)", g.name, g.parent)
		case g.more > 1:
			msg += fmt.Sprintf(" (and %d more conflicts on %s among the goroutines %s starts)", g.more, g.name, g.parent)
		}
		st.report(g.pos, g.cat, msg, g.rel...)
	}
	st.siblings, st.siblingOrder = nil, nil
}

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
				if callee == nil || callee == caller || len(workers[goroutines.Origin(callee)]) == 0 {
					continue
				}
				for _, s := range workers[goroutines.Origin(callee)] {
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
					if callee == nil || goroutines.Origin(callee) == caller {
						continue
					}
					spawns := async[goroutines.Origin(callee)]
					if len(spawns) == 0 {
						continue
					}
					live := liveBlocks(callee, call.Call.Args)
					for _, as := range spawns {
						if live != nil && as.s.Site != nil && as.s.Site.Parent() == callee && !live[as.s.Site.Block()] {
							continue // the arguments rule out the branch that starts it
						}
						s, g := st.asyncContext(caller, call, goroutines.Origin(callee), as)
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
		fr.live = liveBlocks(s.Entry, s.Args)
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
		(&frame{c: c, fn: s.Parent, root: true}).applySummary(s.Site, s.Entry, s.Args, st.locks.Func(s.Parent))
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
	c := st.newContext(s.Parent, s.Parent, s)
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

// sameMemory reports whether a and b may touch the same memory.
func sameMemory(a, b *access) bool {
	if a.loc.key != b.loc.key {
		// A whole variable or struct overlaps its fields and elements.
		return within(a.loc.key, b.loc.key) || within(b.loc.key, a.loc.key)
	}
	if strings.HasPrefix(a.loc.idx, "*") || strings.HasPrefix(b.loc.idx, "*") {
		return rangeOverlap(a.loc.idx, b.loc.idx)
	}
	if strings.HasSuffix(a.loc.key, "[]") {
		// Elements: only the same constant index, or the same index
		// variable, is known to be the same element.
		return a.loc.idx != "" && a.loc.idx == b.loc.idx
	}
	if a.loc.idx != "" && b.loc.idx != "" && a.loc.idx != b.loc.idx && strings.Contains(a.loc.key, "[]") {
		// A field of two elements named by different indices
		// (xs[i].f and xs[i-1].f).
		return false
	}
	return true
}

// commonLock reports whether a and b hold a lock of the same class, one
// of them for writing.
func commonLock(a, b *access) bool {
	for _, la := range a.locks {
		for _, lb := range b.locks {
			if (sameLockClass(la.Class, lb.Class) || la.Anonymous() || lb.Anonymous()) && !(la.Read && lb.Read) {
				return true
			}
		}
	}
	return false
}

func releases(k goroutines.EventKind) bool {
	switch k {
	case goroutines.EvSend, goroutines.EvRecv, goroutines.EvClose, goroutines.EvDone, goroutines.EvCondWake, goroutines.EvAtomic, evHandoff:
		return true
	}
	return false
}

func acquires(k goroutines.EventKind) bool {
	switch k {
	case goroutines.EvRecv, goroutines.EvSend, goroutines.EvWait, goroutines.EvCondWait, goroutines.EvAtomic, evLock:
		return true
	}
	return false
}

func matches(r, q event) bool {
	chanOp := func(k goroutines.EventKind) bool {
		return k == goroutines.EvSend || k == goroutines.EvRecv || k == goroutines.EvClose
	}
	switch {
	case chanOp(r.kind) && chanOp(q.kind):
		if r.kind == q.kind || r.kind == goroutines.EvClose && q.kind == goroutines.EvSend {
			return false
		}
		// On a buffered channel only a send (or close) publishes to the
		// receiver; a receive orders only a send that fills the buffer.
		if (r.buffered || q.buffered) && r.kind == goroutines.EvRecv && !q.fills {
			return false
		}
	case r.kind == goroutines.EvDone && q.kind == goroutines.EvWait:
	case r.kind == goroutines.EvCondWake && q.kind == goroutines.EvCondWait:
	case r.kind == goroutines.EvAtomic && q.kind == goroutines.EvAtomic:
	case r.kind == evHandoff && q.kind == evLock:
	default:
		return false
	}
	if r.key != "" && q.key != "" {
		return r.key == q.key
	}
	return r.typ == q.typ
}

// before reports whether something in ca released after a and acquired
// in cb before b orders a before b. extra are acquire events of the
// spawner that precede all of cb (for a sibling goroutine).
func (st *state) before(a *access, ca *context, b *access, cb *context, extra []event) bool {
	for _, q := range cb.events {
		if q.kind == evBarrier && (st.reach.precedes(q.top, b.top, b.exit) || !b.exit && st.sameCall(q.top, b.top, q.instr, b.instr)) {
			return true
		}
	}
	for _, q := range extra {
		if q.kind == evBarrier {
			return true
		}
	}
	for _, r := range ca.events {
		if !releases(r.kind) || !(r.exit || !a.exit && (st.reach.after(a.top, r.top) || st.sameCall(a.top, r.top, a.instr, r.instr))) {
			continue
		}
		if r.since != nil && !st.reach.dominates(r.since, a.top, a.exit) {
			continue
		}
		var qs []ssa.Instruction
		for _, q := range cb.events {
			if acquires(q.kind) && matches(r, q) {
				if q.start || st.reach.precedes(q.top, b.top, b.exit) || !b.exit && st.sameCall(q.top, b.top, q.instr, b.instr) {
					return true
				}
				qs = append(qs, q.top)
			}
		}
		if len(qs) > 1 && !b.exit && st.reach.avoidable(b.top, qs) == false {
			return true
		}
		for _, q := range extra {
			if acquires(q.kind) && matches(r, q) {
				return true
			}
		}
	}
	return false
}

// sameCall reports whether x and y, inside callees of one call of the
// top function (tx == ty), may run in that order: y after x in one
// function, or in two functions below the call (assumed ordered).
func (st *state) sameCall(tx, ty, x, y ssa.Instruction) bool {
	if tx == nil || tx != ty || x == nil || y == nil || x == tx {
		return false
	}
	if x.Parent() == y.Parent() {
		return st.reach.after(x, y)
	}
	return true
}

// chanLocked reports whether a lies between a send and a receive (or a
// receive and a send) on one channel of its context: a channel used as a
// mutex. A channel made with a capacity above one is a counting
// semaphore that admits several holders at once, so it excludes nothing.
func (st *state) chanLocked(a *access, c *context) bool {
	for _, e1 := range c.events {
		if e1.kind != goroutines.EvSend && e1.kind != goroutines.EvRecv || e1.exit || e1.capacity > 1 {
			continue
		}
		if !st.reach.dominates(e1.top, a.top, a.exit) {
			continue
		}
		for _, e2 := range c.events {
			if (e2.kind == goroutines.EvSend || e2.kind == goroutines.EvRecv) && e2.kind != e1.kind &&
				(e1.key != "" && e1.key == e2.key || e1.key == "" && e1.typ == e2.typ) &&
				(e2.exit || !a.exit && st.reach.after(a.top, e2.top)) {
				return true
			}
		}
	}
	return false
}

// within reports whether location key inner is a field or element of
// location outer.
func within(outer, inner string) bool {
	return strings.HasPrefix(inner, outer) && len(inner) > len(outer) &&
		(inner[len(outer)] == '.' || inner[len(outer)] == '[') &&
		!strings.ContainsAny(inner[len(outer):], "*{")
}

// ignored reports whether a plain access is to memory that the package
// also accesses atomically: only a pair with an atomic access is then
// examined (see conflict).
func (st *state) ignored(a *access) bool {
	return !a.atomic && (st.atomicKeys[a.loc.key] || st.atomicKeys[strings.TrimSuffix(a.loc.key, "{}")])
}

// candidates returns the conflicting pairs between two contexts.
func (st *state) conflict(a *access, ca *context, b *access, cb *context, extraAB, extraBA []event) bool {
	if !a.write && !b.write || a.atomic && b.atomic || !sameMemory(a, b) || commonLock(a, b) {
		return false
	}
	if (a.atomic || b.atomic) && !st.mixedOK(a, b) || !a.atomic && !b.atomic && (st.ignored(a) || st.ignored(b)) {
		return false
	}
	if st.chanLocked(a, ca) && st.chanLocked(b, cb) {
		return false
	}
	if a.lazy || b.lazy {
		return false // initialised on first use under a nil check
	}
	if onceWrite(a) && !b.write || onceWrite(b) && !a.write {
		return false // initialised by Once.Do, read after it
	}
	if st.flagGated(a, b) || st.flagGated(b, a) {
		return false // written only before a one-way flag was set
	}
	if st.receivedBefore(a, cb, b) || st.receivedBefore(b, ca, a) {
		return false // written before a close that the other waits for
	}
	return !st.before(a, ca, b, cb, extraAB) && !st.before(b, cb, a, ca, extraBA)
}

func (st *state) pairSpawn(s *goroutines.Spawn, g, cont *context) {
	done := map[string]bool{}
	for _, i := range writesFirst(g.accesses) {
		a := &g.accesses[i]
		if done[a.loc.key] || st.gatedUnserved(a, g, cont) {
			continue
		}
		for _, j := range writesFirst(cont.accesses) {
			b := &cont.accesses[j]
			if a.loc.def != nil && b.loc.def != nil && !st.sameInstance(s, b) || otherInstance(s, b) || st.parkedBefore(s, b.top) || st.handedOffThenReplaced(s, a, b) {
				continue
			}
			if st.laterElement(s, a, b) {
				continue
			}
			if !st.conflict(a, g, b, cont, nil, nil) {
				continue
			}
			done[a.loc.key] = true
			what := statement(s)
			msg := fmt.Sprintf("unsynchronized %s: goroutine started at %s %s %s, which %s %s after %s",
				hazard(a), st.site(s.Pos), verb(a), a.loc.name, funcDisplay(s.Parent), verb(b), what)
			st.groupFinding(CatSpawn, s, nil, a, siblingReport{pos: a.instr.Pos(), msg: msg, rel: []analysis.RelatedInformation{
				related(b.instr.Pos(), fmt.Sprintf("%s %s here", verb(b), b.loc.name)),
				related(s.Pos, "goroutine started here")}})
			break
		}
	}
}

// laterElement reports whether the continuation's access b, to the
// element of the spawning loop's index that the goroutine's access a
// also names, can only run in a later iteration: with the next index,
// another element (shards[i].wake = make(...) before each go).
func (st *state) laterElement(s *goroutines.Spawn, a, b *access) bool {
	def := a.loc.idxDef
	if def == nil || def != b.loc.idxDef || a.loc.idx != b.loc.idx || b.top == nil || b.top.Parent() != s.Parent {
		return false
	}
	return !st.reach.afterAvoiding(s.Site, b.top, def)
}

// receivedBefore reports whether w, a write that another package's
// function makes before it closes a channel (Accesses.Closes), is
// ordered before b: b's context receives from that channel on the way
// to b (<-r.Running() before reading what Run set).
func (st *state) receivedBefore(w *access, cb *context, b *access) bool {
	if w.published == "" || !w.write {
		return false
	}
	for _, q := range cb.events {
		if q.kind == goroutines.EvRecv && q.key == w.published &&
			(st.reach.precedes(q.top, b.top, b.exit) || !b.exit && st.sameCall(q.top, b.top, q.instr, b.instr)) {
			return true
		}
	}
	return false
}

// spawnSite reports whether instr starts a goroutine.
func (st *state) spawnSite(instr ssa.Instruction) bool {
	if st.spawnSites == nil {
		st.spawnSites = map[ssa.Instruction]bool{}
		for _, s := range st.g.Spawns {
			if s.Site != nil {
				st.spawnSites[s.Site] = true
			}
		}
	}
	return st.spawnSites[instr]
}

// gatedUnserved reports whether the goroutine's access a runs only after
// it receives from a channel (a plain receive, or the case of a select,
// on the way to a in the goroutine's function) that nothing in the
// spawner's continuation sends on or closes: a worker loop that only
// acts on what it is sent, when the spawner sends it nothing, does not
// reach a.
func (st *state) gatedUnserved(a *access, g, cont *context) bool {
	if a.top == nil || a.top.Block() == nil || cont.startsOthers {
		return false // (goroutines the continuation starts may send)
	}
	for _, q := range g.events {
		if q.kind != goroutines.EvRecv || q.key == "" || q.start || q.top == nil || q.top.Parent() != a.top.Parent() {
			continue
		}
		var gate *ssa.BasicBlock
		switch x := q.top.(type) {
		case *ssa.UnOp:
			if q.instr == q.top && st.reach.dominates(x, a.top, false) {
				gate = x.Block()
			}
		case *ssa.Select:
			if q.instr == q.top {
				if b, ok := ssax.CaseBlock(x, q.state); ok && b != x.Block() && len(b.Preds) == 1 && b.Dominates(a.top.Block()) {
					gate = b
				}
			}
		}
		if gate == nil {
			continue
		}
		served := false
		for _, r := range cont.events {
			if (r.kind == goroutines.EvSend || r.kind == goroutines.EvClose) && (r.key == q.key || r.key == "" && r.typ == q.typ) {
				served = true
				break
			}
		}
		if !served {
			return true
		}
	}
	return false
}

// otherInstance reports whether b is made by another instance of the
// goroutine s starts, started by a callee, while s is believed to run
// once at a time (started only when no other instance runs).
func otherInstance(s *goroutines.Spawn, b *access) bool {
	return !s.Many && b.goEntry != nil && s.Entry != nil && b.goEntry == goroutines.Origin(s.Entry)
}

// sameInstance reports whether continuation access b touches the
// instance of its per-iteration root that the goroutine of s saw: b is
// reachable from the spawn without executing the root's definition again.
func (st *state) sameInstance(s *goroutines.Spawn, b *access) bool {
	def := b.loc.def
	if def == nil || def.Parent() != s.Parent || !b.loc.inst {
		return true
	}
	return st.reach.afterAvoiding(s.Site, b.top, def)
}

func (st *state) pairInstances(s *goroutines.Spawn, g, cont *context) {
	// Instances that the spawner waits for one at a time do not overlap.
	if cont != nil {
		for _, q := range cont.events {
			if !acquires(q.kind) || !st.reach.after(s.Site, q.top) || !st.reach.after(q.top, s.Site) {
				continue
			}
			for _, r := range g.events {
				if releases(r.kind) && matches(r, q) {
					return
				}
			}
		}
	}
	done := map[string]bool{}
	for i := range g.accesses {
		a := &g.accesses[i]
		if !a.write || a.loc.inst || done[a.loc.key] {
			continue
		}
		for _, j := range writesFirst(g.accesses) {
			b := &g.accesses[j]
			if b.loc.inst || !sameMemory(a, b) {
				continue
			}
			if !sharedIdx(a.loc.idx) || !sharedIdx(b.loc.idx) {
				continue // elements chosen per instance: assume a partition
			}
			// A lazy initialisation is not exempt here: two instances
			// can both see nil and both initialise. Unless the object
			// came from a call, which may have initialised it already.
			if (a.lazy || b.lazy) && strings.HasPrefix(a.loc.key, "v") {
				continue
			}
			if commonLock(a, b) || st.ignored(a) || st.ignored(b) || a.atomic || b.atomic || onceWrite(a) && !b.write || onceWrite(b) && !a.write || st.chanLocked(a, g) && st.chanLocked(b, g) {
				continue
			}
			if st.before(a, g, b, g, nil) || st.before(b, g, a, g, nil) {
				continue
			}
			done[a.loc.key] = true
			var msg string
			many := "goroutines started at " + st.site(s.Pos)
			if s.Kind == goroutines.KindHandler {
				many = "concurrent calls of handler " + funcDisplay(s.Entry)
			}
			if b.write {
				msg = fmt.Sprintf("unsynchronized %s: %s may run at once and each writes %s", hazard(a), many, a.loc.name)
			} else {
				msg = fmt.Sprintf("unsynchronized %s: %s may run at once; one writes %s while another reads it", hazard(a), many, a.loc.name)
			}
			rel := []analysis.RelatedInformation{}
			if b != a {
				rel = append(rel, related(b.instr.Pos(), fmt.Sprintf("%s %s here", verb(b), b.loc.name)))
			}
			rel = append(rel, related(s.Pos, "goroutines started here"))
			st.report(a.instr.Pos(), CatInstances, msg, rel...)
			break
		}
	}
}

// sharedIdx reports whether an element index denotes the same elements
// in every instance of a goroutine: none, a constant, or all of them
// visited by a loop.
func sharedIdx(idx string) bool {
	return idx == "" || strings.HasPrefix(idx, "c:") || idx == idxScan
}

func (st *state) pairSiblings(s1 *goroutines.Spawn, g1 *context, s2 *goroutines.Spawn, g2 *context, cont *context) {
	// Acquires of the spawner that come before s2 (after s1) order g1's
	// releases before all of g2.
	var extra []event
	for _, q := range cont.events {
		if (acquires(q.kind) || q.kind == evBarrier) && st.reach.precedes(q.top, s2.Site, false) {
			extra = append(extra, q)
		}
	}
	done := map[string]bool{}
	for _, i := range writesFirst(g1.accesses) {
		a := &g1.accesses[i]
		if done[a.loc.key] {
			continue
		}
		for _, j := range writesFirst(g2.accesses) {
			b := &g2.accesses[j]
			if otherInstance(s1, b) || otherInstance(s2, a) || !st.conflict(a, g1, b, g2, extra, nil) {
				continue
			}
			done[a.loc.key] = true
			msg := fmt.Sprintf("unsynchronized %s: goroutine started at %s %s %s, which the goroutine started at %s %s",
				hazard(a), st.site(s1.Pos), verb(a), a.loc.name, st.site(s2.Pos), verb(b))
			st.groupFinding(CatSiblings, s1, s2, a, siblingReport{pos: a.instr.Pos(), msg: msg, rel: []analysis.RelatedInformation{
				related(b.instr.Pos(), fmt.Sprintf("%s %s here", verb(b), b.loc.name)),
				related(s1.Pos, "first goroutine started here"),
				related(s2.Pos, "second goroutine started here")}})
			break
		}
	}
}

func hazard(a *access) string {
	if a.write {
		return "write to " + a.loc.name
	}
	return "read of " + a.loc.name
}

func verb(a *access) string {
	if a.write {
		return "writes"
	}
	return "reads"
}

func related(pos token.Pos, msg string) analysis.RelatedInformation {
	return analysis.RelatedInformation{Pos: pos, Message: msg}
}

func (st *state) site(pos token.Pos) string {
	p := st.pass.Fset.Position(pos)
	return filepath.Base(p.Filename) + ":" + strconv.Itoa(p.Line)
}

// report records a finding; flushReports reports them.
func (st *state) report(pos token.Pos, cat, msg string, rel ...analysis.RelatedInformation) {
	key := strconv.Itoa(int(pos)) + msg
	if st.reported[key] || st.loopclosureOwns(pos) {
		return
	}
	st.reported[key] = true
	if st.atPos == nil {
		st.atPos = map[token.Pos][]analysis.Diagnostic{}
	}
	if st.atPos[pos] == nil {
		st.posOrder = append(st.posOrder, pos)
	}
	st.atPos[pos] = append(st.atPos[pos], analysis.Diagnostic{Pos: pos, Category: cat, Message: msg, Related: rel})
}

// flushReports reports one finding per access: the conflicts of one
// access with several others (other writers, other paths of a field
// the access writes whole) are one place to fix, reported at the first
// recorded, with the others counted and their first related position
// kept.
func (st *state) flushReports() {
	for _, pos := range st.posOrder {
		ds := st.atPos[pos]
		d := ds[0]
		if n := len(ds) - 1; n > 0 {
			if n == 1 {
				d.Message += " (and 1 more conflict at this access)"
			} else {
				d.Message += fmt.Sprintf(" (and %d more conflicts at this access)", n)
			}
			seen := map[token.Pos]bool{}
			for _, r := range d.Related {
				seen[r.Pos] = true
			}
			for _, o := range ds[1:] {
				for _, r := range o.Related {
					if !seen[r.Pos] && len(d.Related) < maxSiblingRelated+2 {
						seen[r.Pos] = true
						d.Related = append(d.Related, r)
					}
				}
			}
		}
		st.pass.Report(d)
	}
	st.atPos, st.posOrder = nil, nil
}

// funcDisplay names fn in Go syntax: "run", "(*Cache).Get", or
// "the function literal in run" (the one renderer, internal/names).
func funcDisplay(fn *ssa.Function) string { return names.Func(fn) }

// statement says how s started its goroutine, for "after ..." phrases.
func statement(s *goroutines.Spawn) string {
	switch s.Kind {
	case goroutines.KindGo:
		return "the go statement"
	case goroutines.KindWaitGroup, goroutines.KindErrgroup:
		return "the Go call"
	case goroutines.KindAfterFunc:
		return "the AfterFunc call"
	case goroutines.KindParallel:
		return "starting the subtest"
	case kindCall:
		if c, ok := s.Site.(*ssa.Call); ok {
			if callee := c.Call.StaticCallee(); callee != nil {
				return "calling " + funcDisplay(callee)
			}
		}
	}
	return "starting it"
}

// writesFirst returns the indices of accs, writes before reads.
func writesFirst(accs []access) []int {
	out := make([]int, 0, len(accs))
	for i := range accs {
		if accs[i].write {
			out = append(out, i)
		}
	}
	for i := range accs {
		if !accs[i].write {
			out = append(out, i)
		}
	}
	return out
}

func onceWrite(a *access) bool {
	if !a.write {
		return false
	}
	for _, l := range a.locks {
		if l.Class == onceLock.Class {
			return true
		}
	}
	return false
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
						if f, _ := goroutines.FuncOf(a); f != nil {
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

// mixedOK reports whether a pair of one atomic and one plain access is
// worth reporting: the plain access is not an initialisation before the
// goroutines start (spawn pairs only reach here after the spawn).
func (st *state) mixedOK(a, b *access) bool {
	return true
}

// rangeOverlap reports whether two element indices may denote the same
// element; "*" is any element, "*lo:hi" elements lo to hi-1, "c:n" one.
func rangeOverlap(x, y string) bool {
	lo1, hi1, ok1 := idxRange(x)
	lo2, hi2, ok2 := idxRange(y)
	if !ok1 || !ok2 {
		return true
	}
	return lo1 < hi2 && lo2 < hi1
}

func idxRange(s string) (int64, int64, bool) {
	switch {
	case strings.HasPrefix(s, "c:"):
		n, err := strconv.ParseInt(s[2:], 10, 64)
		return n, n + 1, err == nil
	case strings.HasPrefix(s, "*") && strings.Contains(s, ":"):
		parts := strings.SplitN(s[1:], ":", 2)
		lo, err1 := strconv.ParseInt(parts[0], 10, 64)
		hi, err2 := strconv.ParseInt(parts[1], 10, 64)
		return lo, hi, err1 == nil && err2 == nil
	}
	return 0, 0, false
}
