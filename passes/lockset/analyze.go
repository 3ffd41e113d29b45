package lockset

import (
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
)

// funcAnalysis holds the per-function working state.
type funcAnalysis struct {
	r        *Result
	fn       *ssa.Function
	pkg      *types.Package
	order    int
	accesses map[ssa.Value]*access
	byKey    map[string]*access // access of each lock key seen
	refs     map[string]LockRef // for locks mapped from callee refs
	ops      map[ssa.CallInstruction][]op
	disp     map[*ssa.BasicBlock]*dispatch // range-over-func jump tests (rangefunc.go)
	dispBase map[*ssa.BasicBlock]*lstate   // state before each dispatch root's tests
	// published memoizes the publish points of fresh objects (freshAt).
	published map[ssa.Value]publishedAt
	// elems maps a container's key and an index value to the first
	// element access chosen by them (element).
	elems map[elemKey]*access
}

// elemKey names an element of a container by a non-constant index: the
// container's access key and the index value, conversions unwrapped.
type elemKey struct {
	container string
	index     any // indexIdentity
}

func newFuncAnalysis(r *Result, fn *ssa.Function, order int) *funcAnalysis {
	pkg := r.pass.Pkg
	return &funcAnalysis{
		r: r, fn: fn, pkg: pkg, order: order,
		accesses: map[ssa.Value]*access{},
		byKey:    map[string]*access{},
		refs:     map[string]LockRef{},
		ops:      map[ssa.CallInstruction][]op{},
		dispBase: map[*ssa.BasicBlock]*lstate{},
	}
}

func (fa *funcAnalysis) lockFromAccess(a *access, anonClass string, read bool) Lock {
	k := a.key()
	fa.byKey[k] = a
	return Lock{Key: k, Name: a.name(), Class: a.class(strings.TrimPrefix(anonClass, "*")), Read: read}
}

// tryCond returns the lock a TryLock call acquires when cond is true,
// and whether the sense is negated.
func (fa *funcAnalysis) tryCond(cond ssa.Value) (Lock, bool, bool) {
	negate := false
	for {
		u, ok := cond.(*ssa.UnOp)
		if !ok || u.Op != token.NOT {
			break
		}
		negate = !negate
		cond = u.X
	}
	c, ok := cond.(*ssa.Call)
	if !ok {
		return Lock{}, false, false
	}
	for _, o := range fa.callOps(c) {
		if o.kind == TryAcquire {
			return o.lock, negate, true
		}
	}
	return Lock{}, false, false
}

func (fa *funcAnalysis) transfer(s *lstate, instr ssa.Instruction) *lstate {
	switch instr := instr.(type) {
	case *ssa.Call:
		for _, o := range fa.callOps(instr) {
			s = apply(s, o)
		}
	case *ssa.Go:
		for _, o := range fa.handOff(instr) {
			s = apply(s, o)
		}
	case *ssa.Store:
		// A variable that a closure captures lives in a cell: storing a
		// new pointer into it makes the locks named through it another
		// object's (if e is stale { e.Unlock(); e = nil }; ...; e =
		// new(T); e.Lock()).
		if alloc, ok := instr.Addr.(*ssa.Alloc); ok {
			s = forgetRooted(s, "a:"+alloc.Name()+"/*")
		}
	case *ssa.Defer:
		ops := fa.callOps(instr)
		if len(ops) > 0 {
			n := *s
			n.defers = append(append([]op(nil), s.defers...), ops...)
			s = &n
		}
	case *ssa.RunDefers:
		for i := len(s.defers) - 1; i >= 0; i-- {
			s = apply(s, s.defers[i])
		}
		if len(s.defers) > 0 {
			n := *s
			n.defers = nil
			s = &n
		}
	}
	return s
}

func apply(s *lstate, o op) *lstate {
	switch o.kind {
	case Acquire:
		n := *s
		n.must = addLock(s.must, o.lock)
		n.may = addLock(s.may, o.lock)
		n.rel = removeLock(s.rel, o.lock.Key)
		n.taken = addLock(s.taken, o.lock)
		g := gen{o.lock.Key, o.site}
		n.gens = addGen(removeGensOf(s.gens, o.lock.Key), g)
		if hasGen(s.relGens, g) {
			var rg []gen
			for _, r := range s.relGens {
				if r != g {
					rg = append(rg, r)
				}
			}
			n.relGens = rg
		}
		n.leaks = removeLeak(s.leaks, o.lock.Key)
		return &n
	case mayReleaseOp:
		n := *s
		if !hasLock(s.may, o.lock.Key) {
			n.relEver = addLock(s.relEver, o.lock)
		}
		n.relGens = unionGens(s.relGens, gensOf(s.gens, o.lock.Key))
		n.leaks = removeLeak(s.leaks, o.lock.Key)
		return &n
	case leakOp:
		if hasLock(s.must, o.lock.Key) {
			return s
		}
		n := *s
		n.may = addLock(s.may, o.lock)
		n.gens = addGen(removeGensOf(s.gens, o.lock.Key), gen{o.lock.Key, o.site})
		n.leaks = addLeak(s.leaks, leak{lock: o.lock, site: o.site, via: o.via})
		return &n
	case Take:
		if o.maybe || hasLock(s.taken, o.lock.Key) {
			return s
		}
		n := *s
		n.taken = addLock(s.taken, o.lock)
		return &n
	case Release:
		n := *s
		if !hasLock(s.may, o.lock.Key) {
			n.rel = addLock(s.rel, o.lock)
			n.relEver = addLock(s.relEver, o.lock)
		}
		n.must = removeLock(s.must, o.lock.Key)
		n.may = removeLock(s.may, o.lock.Key)
		if gs := gensOf(s.gens, o.lock.Key); len(gs) > 0 {
			n.relGens = unionGens(s.relGens, gs)
			n.gens = removeGensOf(s.gens, o.lock.Key)
		}
		n.leaks = removeLeak(s.leaks, o.lock.Key)
		return &n
	}
	return s
}

func analyzeFunc(r *Result, fn *ssa.Function, order int) *FuncLocks {
	fa := newFuncAnalysis(r, fn, order)
	fl := &FuncLocks{Fn: fn, fa: fa, order: order, before: map[ssa.Instruction]*lstate{}, stale: map[ssa.Instruction][]Stale{}}
	if len(fn.Blocks) == 0 {
		r.summaries[fn] = &Summary{}
		return fl
	}
	// Forward dataflow to a fixpoint over block entry states; edge
	// states carry TryLock successes.
	in := make([]*lstate, len(fn.Blocks))
	in[0] = emptyState
	eachOps := map[*ssa.BasicBlock][]op{}
	outEdge := func(b *ssa.BasicBlock, out *lstate, succ int) *lstate {
		if ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok {
			ops, seen := eachOps[b]
			if !seen {
				ops = fa.eachElementOps(b)
				eachOps[b] = ops
			}
			if succ == 1 {
				for _, o := range ops {
					out = apply(out, o)
				}
			}
			if l, neg, ok := fa.tryCond(ifi.Cond); ok {
				if (succ == 0) != neg {
					return apply(out, op{kind: Acquire, lock: l, site: ifi.Cond.Pos()})
				}
			}
			if s, ok := fa.dispatchEdge(b, out, succ); ok {
				return s
			}
		}
		return out
	}
	// out[b][i] is the state on the edge from b to its i-th successor;
	// a block's entry state joins the states of all its entering edges.
	out := make([][]*lstate, len(fn.Blocks))
	entering := func(b *ssa.BasicBlock) *lstate {
		var states []*lstate
		for _, p := range b.Preds {
			for i, succ := range p.Succs {
				if succ == b && out[p.Index] != nil && i < len(out[p.Index]) {
					states = append(states, out[p.Index][i])
					break
				}
			}
		}
		return joinAll(states)
	}
	work := []*ssa.BasicBlock{fn.Blocks[0]}
	queued := make([]bool, len(fn.Blocks))
	queued[0] = true
	for steps := 0; len(work) > 0 && steps < 100000; steps++ {
		b := work[0]
		work = work[1:]
		queued[b.Index] = false
		s := in[b.Index]
		if out[b.Index] == nil {
			out[b.Index] = make([]*lstate, len(b.Succs))
		}
		if s == nil {
			// No longer reached (a range-over-func dispatch edge found
			// infeasible): nothing flows out.
			for i := range b.Succs {
				out[b.Index][i] = nil
			}
		} else {
			for _, instr := range b.Instrs {
				s = fa.transfer(s, instr)
			}
			for i := range b.Succs {
				out[b.Index][i] = outEdge(b, s, i)
			}
		}
		for _, succ := range b.Succs {
			nin := entering(succ)
			if succ.Index == 0 {
				nin = joinAll([]*lstate{emptyState, nin})
			}
			if !sameState(nin, in[succ.Index]) {
				in[succ.Index] = nin
				if !queued[succ.Index] {
					queued[succ.Index] = true
					work = append(work, succ)
				}
			}
		}
	}
	// Final pass: record states and events; gather return states.
	var returns []*lstate
	var yieldRets map[*ssa.Return]*lstate
	atReturn := map[string][]Lock{}
	for _, b := range fn.Blocks {
		s := in[b.Index]
		if s == nil {
			continue // unreachable
		}
		for _, instr := range b.Instrs {
			if !s.isEmpty() {
				fl.before[instr] = s
			}
			if c, ok := instr.(ssa.CallInstruction); ok {
				var st []Stale
				for _, le := range s.leaks {
					st = append(st, Stale{Lock: le.lock, Site: le.site, Via: le.via})
				}
				if _, isGo := instr.(*ssa.Go); !isGo {
					_, deferred := instr.(*ssa.Defer)
					// Effects of one call apply in order (releases
					// first), each seeing the state the previous left.
					cur := s
					// A release whose instance the callee cannot name
					// (a closure's captured lock, reached through a
					// function value) may be the caller's lock of that
					// class: what the call takes afterwards is not
					// recorded as taken under it.
					var unnamed map[string]bool
					// The locks one call acquires are in the order its
					// callee's own edges give: one is not held before
					// another (a summary lists them sorted).
					var acquiredHere map[string]bool
					for _, o := range fa.callOps(c) {
						if o.kind == Acquire && !deferred && !hasLock(cur.must, o.lock.Key) {
							if g := (gen{o.lock.Key, o.site}); hasGen(cur.gens, g) && !hasGen(cur.relGens, g) && !fa.loopVarying(o.lock, b) {
								st = append(st, Stale{Lock: o.lock, Site: o.site, Via: o.via, Loop: true})
							}
						}
						if o.kind == leakOp || o.kind == mayReleaseOp {
							if !deferred {
								cur = apply(cur, o)
							} else if o.kind == mayReleaseOp {
								if fl.deferMayRelease == nil {
									fl.deferMayRelease = map[string]bool{}
								}
								fl.deferMayRelease[o.lock.Key] = true
							}
							continue
						}
						held := cur.must
						if len(unnamed) > 0 || len(acquiredHere) > 0 {
							held = nil
							for _, h := range cur.must {
								if !unnamed[h.Class] && !acquiredHere[h.Key] {
									held = append(held, h)
								}
							}
						}
						if o.kind == Acquire && !hasLock(cur.must, o.lock.Key) {
							if acquiredHere == nil {
								acquiredHere = map[string]bool{}
							}
							acquiredHere[o.lock.Key] = true
						}
						fl.events = append(fl.events, Event{Instr: instr, Lock: o.lock, Kind: o.kind, HeldBefore: held, Via: o.via, Deferred: deferred,
							retake: hasLock(cur.relEver, o.lock.Key), Maybe: o.maybe})
						if o.kind == Release && o.lock.Unknown && !deferred {
							if unnamed == nil {
								unnamed = map[string]bool{}
							}
							unnamed[o.lock.Class] = true
						}
						if !deferred {
							cur = apply(cur, o)
						}
					}
				}
				if len(st) > 0 {
					fl.stale[instr] = st
				}
			}
			if ret, ok := instr.(*ssa.Return); ok {
				returns = append(returns, s)
				if isYield(fn) {
					if yieldRets == nil {
						yieldRets = map[*ssa.Return]*lstate{}
					}
					yieldRets[ret] = s
				}
			}
			if _, ok := instr.(*ssa.RunDefers); ok {
				// The locks held when each pending deferred call runs.
				cur := s
				for i := len(s.defers) - 1; i >= 0; i-- {
					o := s.defers[i]
					if o.kind == Acquire || o.kind == Take {
						k := deferKey(o.site, o.kind, o.lock.Key)
						if prev, ok := atReturn[k]; ok {
							atReturn[k] = intersect(prev, cur.must)
						} else {
							atReturn[k] = cur.must
						}
					}
					cur = apply(cur, o)
				}
			}
			s = fa.transfer(s, instr)
		}
	}
	for i, e := range fl.events {
		if e.Deferred {
			if held, ok := atReturn[deferKey(e.Instr.Pos(), e.Kind, e.Lock.Key)]; ok {
				fl.events[i].AtReturn = held
				fl.events[i].atReturn = true
			}
		}
	}
	sort.SliceStable(fl.events, func(i, j int) bool { return ssax.Pos(fl.events[i].Instr) < ssax.Pos(fl.events[j].Instr) })
	for i := range fl.events {
		if e := &fl.events[i]; !e.Deferred && (e.Kind == Acquire || e.Kind == Take) {
			e.Fresh = fa.freshAt(e.Lock, e.Instr)
		}
	}
	r.summaries[fn] = fa.summarize(fl, returns)
	if yieldRets != nil {
		recordYieldExits(fl, yieldRets)
	}
	return fl
}

// restoredOnEveryPath returns the locks that every return leaves as the
// caller had them, some return after releasing and taking them back:
// each return either holds the lock after releasing it (a callee that
// unlocks the caller's lock around its work and locks it again) or never
// touched it (an early return before that call). For the caller the
// function reacquires them, though no single state says so: the join of
// the returns sees a lock held on some paths only.
func restoredOnEveryPath(exit *lstate, returns []*lstate) []Lock {
	if exit == nil {
		return nil
	}
	var out []Lock
	for _, l := range exit.relEver {
		if hasLock(exit.must, l.Key) {
			continue // every path holds it: Reacquires already
		}
		restored := false
		ok := true
		for _, r := range returns {
			if r == nil {
				continue
			}
			switch {
			case hasLock(r.must, l.Key) && hasLock(r.relEver, l.Key):
				restored = true
			case !hasLock(r.may, l.Key) && !hasLock(r.relEver, l.Key):
			default:
				ok = false
			}
		}
		if ok && restored {
			out = addLock(out, l)
		}
	}
	return out
}

func (fa *funcAnalysis) summarize(fl *FuncLocks, returns []*lstate) *Summary {
	sum := &Summary{}
	exit := joinAll(returns)
	if exit != nil {
		for _, le := range exit.leaks {
			fl.exit = append(fl.exit, Stale{Lock: le.lock, Site: le.site, Via: le.via})
		}
	}
	nameable := func(l Lock) bool {
		if l.Unknown {
			return false
		}
		a := fa.byKey[l.Key]
		return a != nil && a.kind != refLocal
	}
	held := map[string]bool{}
	neutral := restoredOnEveryPath(exit, returns)
	if exit != nil {
		for _, l := range neutral {
			if nameable(l) {
				held[l.Key] = true
				sum.Reacquires = append(sum.Reacquires, fa.refOf(l, fa.viaFor(fl, l.Key)))
			}
		}
		for _, l := range exit.must {
			if !nameable(l) && !l.Unknown && strings.HasSuffix(l.Class, "[]") {
				// An element of a map or slice of locks, returned
				// locked (a per-key lock): the caller knows its class.
				held[l.Key] = true
				sum.Acquires = append(sum.Acquires, LockRef{Kind: RefClass, Class: l.Class, Read: l.Read, Via: fa.viaFor(fl, l.Key)})
				continue
			}
			if nameable(l) {
				held[l.Key] = true
				ref := fa.refOf(l, fa.viaFor(fl, l.Key))
				if hasLock(exit.relEver, l.Key) {
					sum.Reacquires = append(sum.Reacquires, ref)
				} else {
					sum.Acquires = append(sum.Acquires, ref)
				}
			} else if l.Unknown && hasLock(exit.relEver, l.Key) {
				// A lock the function cannot name (a closure's captured
				// mutex, called through a function value) released and
				// taken back: by class, so that a caller holding a lock
				// of that class does not count what the call takes in
				// the window as taken under it.
				held[l.Key] = true
				sum.Reacquires = append(sum.Reacquires, LockRef{Kind: RefClass, Class: l.Class, Read: l.Read, Via: fa.viaFor(fl, l.Key)})
			}
		}
		for _, l := range exit.rel {
			if nameable(l) {
				sum.Releases = append(sum.Releases, fa.refOf(l, fa.viaFor(fl, l.Key)))
			}
		}
		for _, l := range exit.relEver {
			if nameable(l) && !hasLock(exit.rel, l.Key) && !hasLock(exit.may, l.Key) && !hasLock(neutral, l.Key) {
				sum.MayReleases = append(sum.MayReleases, fa.refOf(l, fa.viaFor(fl, l.Key)))
			}
		}
		for _, le := range exit.leaks {
			if nameable(le.lock) && !hasLock(exit.must, le.lock.Key) && !hasLock(neutral, le.lock.Key) && !fl.deferMayRelease[le.lock.Key] {
				// (A deferred call that releases the lock on some of
				// its paths, if !unlocked { mu.Unlock() }, releases it
				// on the paths that left it held.)
				sum.Leaks = append(sum.Leaks, fa.refOf(le.lock, le.via))
			}
		}
	}
	pos := func(instr ssa.Instruction) string {
		p := fa.r.pass.Fset.Position(instr.Pos())
		if !p.IsValid() {
			return ""
		}
		return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
	}
	for _, e := range fl.events {
		if e.Deferred && e.atReturn && e.Kind == Take {
			// A deferred call that takes a lock on every return path.
			if !held[e.Lock.Key] {
				ref := fa.refOf(e.Lock, e.Via)
				ref.Maybe = e.Maybe || exit == nil || !hasLock(exit.taken, e.Lock.Key)
				sum.Takes = append(sum.Takes, ref)
			}
			for _, h := range e.AtReturn {
				if h.Key != e.Lock.Key {
					sum.Edges = append(sum.Edges, Edge{From: fa.refOf(h, nil), To: fa.refOf(e.Lock, nil), Pos: pos(e.Instr), Via: e.Via})
				}
			}
			continue
		}
		if e.Deferred || (e.Kind != Acquire && e.Kind != Take) {
			continue
		}
		if e.Fresh {
			// A lock of an object the function made and has not yet
			// handed to anyone (a constructor's x.mu): no caller or
			// other goroutine can hold it or wait for it.
			continue
		}
		// A lock the function released first (the caller's) and takes
		// again is not a take: the caller held it.
		if !held[e.Lock.Key] && !e.retake {
			ref := fa.refOf(e.Lock, e.Via)
			ref.Maybe = exit == nil || !hasLock(exit.taken, e.Lock.Key)
			sum.Takes = append(sum.Takes, ref)
		}
		for _, h := range e.HeldBefore {
			if h.Key == e.Lock.Key {
				continue
			}
			sum.Edges = append(sum.Edges, Edge{From: fa.refOf(h, nil), To: fa.refOf(e.Lock, nil), Pos: pos(e.Instr), Via: e.Via})
		}
	}
	sum.normalize()
	return sum
}

// loopVarying reports whether l is named by a value that may denote a
// different object on each iteration of a loop through b.
func (fa *funcAnalysis) loopVarying(l Lock, b *ssa.BasicBlock) bool {
	a := fa.byKey[l.Key]
	return a != nil && a.loopVarying(b)
}

func deferKey(site token.Pos, kind EventKind, key string) string {
	return fmt.Sprintf("%d|%d|%s", site, kind, key)
}

// viaFor is the call chain of the first event that acquired or released
// key, for summaries.
func (fa *funcAnalysis) viaFor(fl *FuncLocks, key string) []string {
	for _, e := range fl.events {
		if e.Lock.Key == key && len(e.Via) > 0 {
			return e.Via
		}
	}
	return nil
}

// freshAt reports whether l belongs to an object that fn allocated, or
// that a constructor it called returned, and that nothing could reach
// but fn at instr: not yet stored, sent, captured or passed to a callee
// that keeps it before instr.
func (fa *funcAnalysis) freshAt(l Lock, instr ssa.Instruction) bool {
	var root ssa.Value
	if c, ok := instr.(ssa.CallInstruction); ok {
		if op := syncapi.Call(c.Common()); op.Kind != syncapi.None {
			root = op.RecvArg(c.Common()) // the mutex itself: x.mu.Lock()
		}
	}
	if root == nil {
		a := fa.byKey[l.Key]
		if a == nil || a.kind != refLocal || a.val == nil {
			return false
		}
		for _, step := range a.steps {
			if step == "*" || strings.HasPrefix(step, "[") {
				return false // a lock of another object the fresh one points to
			}
		}
		root = a.val
	}
	for {
		if fa, ok := root.(*ssa.FieldAddr); ok {
			root = fa.X
			continue
		}
		if ct, ok := root.(*ssa.ChangeType); ok {
			root = ct.X
			continue
		}
		break
	}
	var obj ssa.Value
	if o, ok := root.(*ssa.Alloc); ok && o.Parent() == instr.Parent() {
		obj = o
	} else if v := freshCall(root); v != nil {
		obj = v // the result of a constructor that returns a new object
	} else {
		return false
	}
	p, seen := fa.published[obj]
	if !seen {
		p.points, p.ok = ssax.PublishPointsOf(obj)
		if fa.published == nil {
			fa.published = map[ssa.Value]publishedAt{}
		}
		fa.published[obj] = p
	}
	if !p.ok {
		return false
	}
	for _, pt := range p.points {
		// The call that takes the lock may itself hand the object on
		// (a method that stores its receiver somewhere): it takes the
		// lock while the object is still the function's alone unless
		// it publishes first, which the callee's own summary sees.
		if pt != instr && ssax.RunsBefore(pt, instr) {
			return false
		}
	}
	return true
}

// publishedAt memoizes ssax.PublishPoints for freshAt.
type publishedAt struct {
	points []ssa.Instruction
	ok     bool
}

// freshCall returns v when it is the result (the first, of several) of
// a call of a function that returns an object it made and published
// nowhere (ssax.FreshResult), or nil.
func freshCall(v ssa.Value) ssa.Value {
	call := v
	if x, ok := v.(*ssa.Extract); ok && x.Index == 0 {
		call = x.Tuple
	}
	c, ok := call.(*ssa.Call)
	if !ok || !ssax.FreshResult(c.Call.StaticCallee()) {
		return nil
	}
	return v
}

// forgetRooted drops from s the locks whose key starts with prefix: the
// objects they name are no longer reached that way.
func forgetRooted(s *lstate, prefix string) *lstate {
	hit := func(k string) bool { return strings.HasPrefix(k, prefix) }
	any := false
	for _, l := range s.may {
		if hit(l.Key) {
			any = true
		}
	}
	for _, g := range s.gens {
		if hit(g.key) {
			any = true
		}
	}
	if !any {
		return s
	}
	n := *s
	filter := func(set []Lock) []Lock {
		var out []Lock
		for _, l := range set {
			if !hit(l.Key) {
				out = append(out, l)
			}
		}
		return out
	}
	n.must, n.may, n.taken = filter(s.must), filter(s.may), filter(s.taken)
	var gs []gen
	for _, g := range s.gens {
		if !hit(g.key) {
			gs = append(gs, g)
		}
	}
	n.gens = gs
	var ls []leak
	for _, l := range s.leaks {
		if !hit(l.lock.Key) {
			ls = append(ls, l)
		}
	}
	n.leaks = ls
	return &n
}
