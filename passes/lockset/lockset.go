package lockset

import (
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/factscope"
	"github.com/syncvet/syncvet/internal/syncapi"
)

// Analyzer computes lock state for every function of a package and
// exports a Summary fact for each function with an object.
var Analyzer = &analysis.Analyzer{
	Name:       "lockset",
	Doc:        "compute the mutexes held at each instruction and per-function lock summaries",
	URL:        "https://pkg.go.dev/github.com/syncvet/syncvet/passes/lockset",
	Requires:   []*analysis.Analyzer{buildssa.Analyzer},
	Run:        run,
	ResultType: reflect.TypeOf((*Result)(nil)),
	FactTypes:  []analysis.Fact{new(Summary)},
}

// Result is the lock state of one package.
//
// The driver runs the analyzers that require lockset at the same time,
// so a Result is read concurrently once run has returned. What run
// computes is never written again; the memos that later queries fill
// (imported facts, the access paths and lock keys that Lookup, Ref and
// MapRef record in a function's working state) are guarded by mu.
type Result struct {
	mu        sync.Mutex // guards imported and every funcAnalysis's maps after run
	pass      *analysis.Pass
	funcs     map[*ssa.Function]*FuncLocks
	summaries map[*ssa.Function]*Summary // this package's, closures included
	imported  map[*ssa.Function]*Summary // cache of imported facts (nil entries too)
	dyn       *dynamic                   // calls without a static callee
	aliases   map[string]*lockerAlias    // Locker and Cond fields that name a mutex field
}

// Func returns the lock state of fn (or of its generic origin), or nil
// if fn is not a function of this package with a body. The methods of a
// nil *FuncLocks return nothing.
func (r *Result) Func(fn *ssa.Function) *FuncLocks {
	if r == nil || fn == nil {
		return nil
	}
	if f, ok := r.funcs[fn]; ok {
		return f
	}
	return r.funcs[origin(fn)]
}

// Funcs returns the analysed functions of the package in a stable order
// (the order of buildssa's SrcFuncs).
func (r *Result) Funcs() []*FuncLocks {
	var out []*FuncLocks
	for _, f := range r.funcs {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].order < out[j].order })
	return out
}

// Summary returns what a call to fn does to locks: this package's
// summary (closures included), the imported fact, or the built-in
// summary of a sync method. It returns nil when nothing is known.
func (r *Result) Summary(fn *ssa.Function) *Summary {
	if r == nil || fn == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.summary(fn)
}

// summary is Summary for callers that hold r.mu or run inside run.
func (r *Result) summary(fn *ssa.Function) *Summary {
	if s := builtinSummary(fn); s != nil {
		return s
	}
	orig := origin(fn)
	if s, ok := r.summaries[orig]; ok {
		return s
	}
	if s, ok := r.imported[orig]; ok {
		return s
	}
	var s *Summary
	if obj, ok := orig.Object().(*types.Func); ok && obj != nil && obj.Pkg() != nil && obj.Pkg() != r.pass.Pkg {
		fact := new(Summary)
		if r.pass.ImportObjectFact(obj, fact) {
			s = fact
		}
	}
	r.imported[orig] = s
	return s
}

// Lookup names a mutex-valued expression of fn: a pointer to a
// sync.Mutex or sync.RWMutex, or to a struct that embeds one (at any
// depth), as a Lock. It reports false for other values.
func (r *Result) Lookup(fn *ssa.Function, v ssa.Value) (Lock, bool) {
	if r == nil || fn == nil || v == nil {
		return Lock{}, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	f := r.Func(fn)
	var fa *funcAnalysis
	if f != nil {
		fa = f.fa
	} else {
		fa = newFuncAnalysis(r, fn, -1)
	}
	t := v.Type()
	if p, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if k := mutexKind(t); k != "" {
		return fa.lockFromAccess(fa.accessOf(v), "*"+k, false), true
	}
	path, kind := embeddedMutexPath(t)
	if path == nil {
		return Lock{}, false
	}
	a := fa.accessOf(v)
	cur := t
	for _, idx := range path {
		st, owner := structOf(cur, false)
		f := st.Field(idx)
		a = a.withField(f.Name(), owner)
		cur = f.Type()
	}
	return fa.lockFromAccess(a, "*"+kind, false), true
}

// FuncLocks is the lock state of one function.
type FuncLocks struct {
	Fn     *ssa.Function
	fa     *funcAnalysis
	order  int
	before map[ssa.Instruction]*lstate
	events []Event
	stale  map[ssa.Instruction][]Stale
	exit   []Stale

	yieldExits    map[int64]*lstate // a range-over-func body's exit states by jump value (rangefunc.go)
	yieldComplete bool              // every return of the body left a known jump value

	// deferMayRelease holds the keys of locks that a deferred call
	// releases on some of its paths (a deferred closure that unlocks
	// unless a flag says the body already did).
	deferMayRelease map[string]bool
}

// DeferMayRelease reports whether a deferred call of the function
// releases the lock with key on some of its paths: a return that
// leaves the lock held may have it released by that call.
func (fl *FuncLocks) DeferMayRelease(key string) bool { return fl.deferMayRelease[key] }

// Stale is a lock that may still be held, at an acquisition or at
// return, because some path skipped the release that other paths make:
// an early return or break before the Unlock (in this function or in a
// callee whose summary Leaks it), or a loop whose body can go round with
// the lock still held.
type Stale struct {
	Lock Lock
	// Site is the acquisition that may still hold Lock, or the call to
	// the function that may have left it held.
	Site token.Pos
	// Via is the call chain of a callee that left it held, outermost
	// first; empty when this function did.
	Via []string
	// Loop reports that the acquisition at the instruction itself may
	// still hold the lock, one loop iteration earlier.
	Loop bool
}

// Stale returns the locks that may still be held before instr because a
// path skipped their release (see Stale). For an acquisition that can
// reach itself round a loop with the lock held, it includes a Loop entry.
// Locks held on every path (MustHeld) are not stale.
func (f *FuncLocks) Stale(instr ssa.Instruction) []Stale {
	if f == nil {
		return nil
	}
	return f.stale[instr]
}

// StaleAtExit returns the locks that may be left held when the function
// returns because a path skipped their release.
func (f *FuncLocks) StaleAtExit() []Stale {
	if f == nil {
		return nil
	}
	return f.exit
}

// MustHeld returns the locks held on every path reaching instr, before
// it executes, sorted by Key.
func (f *FuncLocks) MustHeld(instr ssa.Instruction) []Lock {
	if f == nil {
		return nil
	}
	if s := f.before[instr]; s != nil {
		return s.must
	}
	return nil
}

// MayHeld returns the locks held on some path reaching instr, before it
// executes, sorted by Key.
func (f *FuncLocks) MayHeld(instr ssa.Instruction) []Lock {
	if f == nil {
		return nil
	}
	if s := f.before[instr]; s != nil {
		return s.may
	}
	return nil
}

// Events returns every acquisition and release of the function, direct
// or through calls with summaries, ordered by position.
func (f *FuncLocks) Events() []Event {
	if f == nil {
		return nil
	}
	return f.events
}

// Ref expresses a lock of this function relative to the function's
// parameters, free variables and globals (as in a Summary); for a lock
// rooted in a local it returns a RefClass reference.
func (f *FuncLocks) Ref(l Lock) LockRef {
	if f == nil {
		return LockRef{Kind: RefClass, Class: l.Class, Read: l.Read}
	}
	f.fa.r.mu.Lock()
	defer f.fa.r.mu.Unlock()
	return f.fa.refOf(l, nil)
}

// MapRef maps a callee's LockRef onto the caller's locks at call, as the
// analysis does for summaries: a parameter reference becomes the argument's
// path; a reference the caller cannot name becomes an Unknown lock.
func (f *FuncLocks) MapRef(call *ssa.CallCommon, pos token.Pos, ref LockRef) Lock {
	if f == nil {
		return Lock{Key: "?" + ref.Class, Name: ClassName(ref.Class, ""), Class: ref.Class, Read: ref.Read, Unknown: true}
	}
	f.fa.r.mu.Lock()
	defer f.fa.r.mu.Unlock()
	return f.fa.mapRef(ref, call, pos)
}

func run(pass *analysis.Pass) (res any, err error) {
	defer func() {
		if r := recover(); r != nil {
			res = nil
			err = fmt.Errorf("internal error in lockset: %v\n%s", r, debug.Stack())
		}
	}()
	ssainfo := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	r := &Result{
		pass:      pass,
		funcs:     map[*ssa.Function]*FuncLocks{},
		summaries: map[*ssa.Function]*Summary{},
		imported:  map[*ssa.Function]*Summary{},
	}
	if !relevant(pass) {
		return r, nil
	}
	r.dyn = newDynamic(pass.Pkg, pass.Fset, ssainfo.Pkg.Prog, ssainfo.SrcFuncs)
	r.aliases = findLockerAliases(ssainfo.SrcFuncs)
	order := map[*ssa.Function]int{}
	for i, fn := range ssainfo.SrcFuncs {
		order[fn] = i
	}
	state := map[*ssa.Function]int{} // 1 in progress, 2 done
	var visit func(fn *ssa.Function)
	visit = func(fn *ssa.Function) {
		if state[fn] != 0 {
			return
		}
		state[fn] = 1
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				if callee := c.Common().StaticCallee(); callee != nil {
					if _, ok := order[origin(callee)]; ok {
						visit(origin(callee))
					}
				} else if mc := cellClosure(c.Common().Value); mc != nil {
					if f := origin(mc.Fn.(*ssa.Function)); f != nil {
						if _, ok := order[f]; ok {
							visit(f)
						}
					}
				}
				for _, ic := range implicitCalls(c.Common()) {
					if _, ok := order[origin(ic.fn)]; ok {
						visit(origin(ic.fn))
					}
				}
				if f, _ := onceCall(c.Common()); f != nil {
					if _, ok := order[origin(f)]; ok {
						visit(origin(f))
					}
				}
				targets, _ := r.dyn.callees(c.Common())
				for _, t := range targets {
					if _, ok := order[origin(t)]; ok {
						visit(origin(t))
					}
				}
			}
		}
		// Range-over-func bodies first: their exits are applied on
		// fn's edges that test the jump variable.
		for _, body := range yieldClosures(fn) {
			if _, ok := order[body]; ok {
				visit(body)
			}
		}
		fl := analyzeFunc(r, fn, order[fn])
		r.funcs[fn] = fl
		state[fn] = 2
	}
	for _, fn := range ssainfo.SrcFuncs {
		visit(fn)
	}
	// Export facts in SrcFuncs order for determinism, where another
	// package can import them (this pass reads only other packages').
	export := factscope.Importable(pass)
	for _, fn := range ssainfo.SrcFuncs {
		s := r.summaries[fn]
		if s == nil || s.empty() || !export {
			continue
		}
		if obj, ok := fn.Object().(*types.Func); ok && obj != nil && fn.Parent() == nil {
			pass.ExportObjectFact(obj, s)
		}
	}
	return r, nil
}

// relevant reports whether the package can hold or call anything that
// locks: it uses package sync (directly, or through promoted methods
// and fields of imported types), or it imports lock summaries.
func relevant(pass *analysis.Pass) bool {
	for _, imp := range pass.Pkg.Imports() {
		if syncapi.IsSyncPackage(imp.Path()) {
			return true
		}
	}
	if syncapi.IsSyncPackage(pass.Pkg.Path()) {
		return false // sync's own implementation is built in
	}
	for _, sel := range pass.TypesInfo.Selections {
		if obj := sel.Obj(); obj.Pkg() != nil && syncapi.IsSyncPackage(obj.Pkg().Path()) {
			return true
		}
	}
	facts := pass.AllObjectFacts()
	if len(facts) == 0 {
		return false
	}
	withFact := make(map[types.Object]bool, len(facts))
	for _, f := range facts {
		withFact[f.Object] = true
	}
	has := func(obj types.Object) bool {
		if f, ok := obj.(*types.Func); ok {
			obj = f.Origin()
		}
		return withFact[obj]
	}
	for _, obj := range pass.TypesInfo.Uses {
		if has(obj) {
			return true
		}
	}
	for _, sel := range pass.TypesInfo.Selections {
		if has(sel.Obj()) {
			return true
		}
	}
	return false
}

// builtinSummary describes the sync methods.
func builtinSummary(fn *ssa.Function) *Summary {
	op, read, kind := syncOp(fn)
	if kind == "" {
		return nil
	}
	ref := LockRef{Kind: RefParam, Index: 0, Class: "*" + kind, Read: read}
	switch op {
	case Acquire:
		return &Summary{Acquires: []LockRef{ref}}
	case Release:
		return &Summary{Releases: []LockRef{ref}}
	}
	return &Summary{}
}

// syncOp classifies fn as a sync.Mutex or sync.RWMutex method: its
// effect, whether on the read lock, and the mutex type's name.
func syncOp(fn *ssa.Function) (op EventKind, read bool, kind string) {
	if fn == nil || fn.Signature.Recv() == nil {
		return 0, false, ""
	}
	o := syncapi.Func(fn)
	if o.Type != syncapi.Mutex && o.Type != syncapi.RWMutex {
		return 0, false, ""
	}
	switch {
	case o.Try():
		op = TryAcquire
	case o.Acquire():
		op = Acquire
	case o.Release():
		op = Release
	default:
		return 0, false, ""
	}
	return op, o.Read(), o.Type.String()
}

// op is one effect of a call on a lock.
type op struct {
	kind  EventKind
	lock  Lock
	via   []string
	maybe bool      // a callee's take on some paths only
	site  token.Pos // the call
}

// leakOp is the internal effect of a callee that may return holding a
// lock (Summary.Leaks); it produces no Event.
const leakOp EventKind = 100

// mayReleaseOp is the internal effect of a callee that releases a lock
// on some paths only (Summary.MayReleases): it settles leaks of the lock
// and changes nothing else; it produces no Event.
const mayReleaseOp EventKind = 101

// gen is one acquisition that may still hold a lock: the lock's key and
// the position of the acquiring call.
type gen struct {
	key  string
	site token.Pos
}

func genLess(a, b gen) bool {
	if a.key != b.key {
		return a.key < b.key
	}
	return a.site < b.site
}

func addGen(set []gen, g gen) []gen {
	i := sort.Search(len(set), func(i int) bool { return !genLess(set[i], g) })
	if i < len(set) && set[i] == g {
		return set
	}
	out := make([]gen, 0, len(set)+1)
	out = append(out, set[:i]...)
	out = append(out, g)
	return append(out, set[i:]...)
}

func hasGen(set []gen, g gen) bool {
	i := sort.Search(len(set), func(i int) bool { return !genLess(set[i], g) })
	return i < len(set) && set[i] == g
}

// gensOf returns the acquisitions of key in set.
func gensOf(set []gen, key string) []gen {
	i := sort.Search(len(set), func(i int) bool { return set[i].key >= key })
	j := i
	for j < len(set) && set[j].key == key {
		j++
	}
	return set[i:j]
}

func removeGensOf(set []gen, key string) []gen {
	i := sort.Search(len(set), func(i int) bool { return set[i].key >= key })
	j := i
	for j < len(set) && set[j].key == key {
		j++
	}
	if i == j {
		return set
	}
	out := make([]gen, 0, len(set)-(j-i))
	out = append(out, set[:i]...)
	return append(out, set[j:]...)
}

func unionGens(a, b []gen) []gen {
	out := a
	for _, g := range b {
		out = addGen(out, g)
	}
	return out
}

func anyGen(set, of []gen) bool {
	for _, g := range of {
		if hasGen(set, g) {
			return true
		}
	}
	return false
}

// leak is a lock that may still be held because a path skipped the
// release that another path made.
type leak struct {
	lock Lock
	site token.Pos // the acquisition, or the call that left it held
	via  []string  // for a callee's leak: the call chain
}

func leakOf(set []leak, key string) (leak, bool) {
	i := sort.Search(len(set), func(i int) bool { return set[i].lock.Key >= key })
	if i < len(set) && set[i].lock.Key == key {
		return set[i], true
	}
	return leak{}, false
}

func addLeak(set []leak, l leak) []leak {
	i := sort.Search(len(set), func(i int) bool { return set[i].lock.Key >= l.lock.Key })
	if i < len(set) && set[i].lock.Key == l.lock.Key {
		return set
	}
	out := make([]leak, 0, len(set)+1)
	out = append(out, set[:i]...)
	out = append(out, l)
	return append(out, set[i:]...)
}

func removeLeak(set []leak, key string) []leak {
	i := sort.Search(len(set), func(i int) bool { return set[i].lock.Key >= key })
	if i >= len(set) || set[i].lock.Key != key {
		return set
	}
	out := make([]leak, 0, len(set)-1)
	out = append(out, set[:i]...)
	return append(out, set[i+1:]...)
}

// lstate is the lock state at one program point. Its slices are never
// mutated after construction, so states can be shared.
type lstate struct {
	must, may []Lock // sorted by Key
	rel       []Lock // released on every path without being acquired here
	relEver   []Lock // released on some path without being acquired first
	taken     []Lock // acquired or taken (not maybe) on every path
	defers    []op   // deferred effects pending on every path
	gens      []gen  // acquisitions that may still hold their lock
	relGens   []gen  // acquisitions released on some path since
	leaks     []leak // may-held locks that some path failed to release
}

func (s *lstate) isEmpty() bool {
	return len(s.must) == 0 && len(s.may) == 0 && len(s.rel) == 0 && len(s.relEver) == 0 && len(s.taken) == 0 && len(s.defers) == 0 &&
		len(s.gens) == 0 && len(s.relGens) == 0 && len(s.leaks) == 0
}

func addLock(set []Lock, l Lock) []Lock {
	i := sort.Search(len(set), func(i int) bool { return set[i].Key >= l.Key })
	if i < len(set) && set[i].Key == l.Key {
		return set
	}
	out := make([]Lock, 0, len(set)+1)
	out = append(out, set[:i]...)
	out = append(out, l)
	return append(out, set[i:]...)
}

func removeLock(set []Lock, key string) []Lock {
	i := sort.Search(len(set), func(i int) bool { return set[i].Key >= key })
	if i >= len(set) || set[i].Key != key {
		return set
	}
	out := make([]Lock, 0, len(set)-1)
	out = append(out, set[:i]...)
	return append(out, set[i+1:]...)
}

func hasLock(set []Lock, key string) bool {
	i := sort.Search(len(set), func(i int) bool { return set[i].Key >= key })
	return i < len(set) && set[i].Key == key
}

func intersect(a, b []Lock) []Lock {
	var out []Lock
	for _, l := range a {
		i := sort.Search(len(b), func(i int) bool { return b[i].Key >= l.Key })
		if i < len(b) && b[i].Key == l.Key {
			if b[i].Read {
				l.Read = true // the weaker claim
			}
			out = append(out, l)
		}
	}
	return out
}

func union(a, b []Lock) []Lock {
	out := a
	for _, l := range b {
		out = addLock(out, l)
	}
	return out
}

func opKey(o op) string { return fmt.Sprintf("%d:%s:%t", o.kind, o.lock.Key, o.lock.Read) }

func intersectOps(a, b []op) []op {
	var out []op
	seen := map[string]bool{}
	for _, o := range b {
		seen[opKey(o)] = true
	}
	for _, o := range a {
		if seen[opKey(o)] {
			out = append(out, o)
		}
	}
	return out
}

func sameLocks(a, b []Lock) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Key != b[i].Key || a[i].Read != b[i].Read {
			return false
		}
	}
	return true
}

func sameState(a, b *lstate) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil {
		return false
	}
	if !sameLocks(a.must, b.must) || !sameLocks(a.may, b.may) || !sameLocks(a.rel, b.rel) || !sameLocks(a.relEver, b.relEver) || !sameLocks(a.taken, b.taken) || len(a.defers) != len(b.defers) {
		return false
	}
	for i := range a.defers {
		if opKey(a.defers[i]) != opKey(b.defers[i]) {
			return false
		}
	}
	if len(a.gens) != len(b.gens) || len(a.relGens) != len(b.relGens) || len(a.leaks) != len(b.leaks) {
		return false
	}
	for i := range a.gens {
		if a.gens[i] != b.gens[i] {
			return false
		}
	}
	for i := range a.relGens {
		if a.relGens[i] != b.relGens[i] {
			return false
		}
	}
	for i := range a.leaks {
		if a.leaks[i].lock.Key != b.leaks[i].lock.Key || a.leaks[i].site != b.leaks[i].site {
			return false
		}
	}
	return true
}

func join(a, b *lstate) *lstate {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	return &lstate{
		must:    intersect(a.must, b.must),
		may:     union(a.may, b.may),
		rel:     intersect(a.rel, b.rel),
		relEver: union(a.relEver, b.relEver),
		taken:   intersect(a.taken, b.taken),
		defers:  intersectOps(a.defers, b.defers),
		gens:    unionGens(a.gens, b.gens),
		relGens: unionGens(a.relGens, b.relGens),
	}
}

// joinAll merges the states of the edges entering a block (or of the
// returns of a function) and finds leaks: a lock held on every path of
// one edge by an acquisition that another edge released is left held
// by the first path. A leak found at an earlier merge survives unless an
// entering edge released its acquisition (a later conditional release,
// as in "if !unlocked { mu.Unlock() }", closes the path-insensitive gap).
func joinAll(states []*lstate) *lstate {
	var in []*lstate
	for _, s := range states {
		if s != nil {
			in = append(in, s)
		}
	}
	if len(in) == 0 {
		return nil
	}
	if len(in) == 1 {
		return in[0]
	}
	out := in[0]
	for _, s := range in[1:] {
		out = join(out, s)
	}
	released := func(key string, gs []gen) bool {
		for _, s := range in {
			if !hasLock(s.may, key) && anyGen(s.relGens, gs) {
				return true
			}
		}
		return false
	}
	for _, l := range out.may {
		if hasLock(out.must, l.Key) {
			continue
		}
		var found *leak
		for _, s := range in {
			if le, ok := leakOf(s.leaks, l.Key); ok && !released(l.Key, gensOf(s.gens, l.Key)) {
				found = &le
				break
			}
		}
		if found == nil {
			for _, s := range in {
				i := sort.Search(len(s.must), func(i int) bool { return s.must[i].Key >= l.Key })
				if i >= len(s.must) || s.must[i].Key != l.Key {
					continue
				}
				if gs := gensOf(s.gens, l.Key); len(gs) > 0 && released(l.Key, gs) {
					found = &leak{lock: s.must[i], site: gs[0].site}
					break
				}
			}
		}
		if found != nil {
			out.leaks = addLeak(out.leaks, *found)
		}
	}
	return out
}

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

// handOff returns the effects of a go statement on the spawner's locks:
// a lock that the new goroutine releases on every path (mu.Lock();
// go func() { ...; mu.Unlock() }()) is handed off to it: the spawner
// holds it no more, and a later Lock waits for the goroutine instead of
// locking twice.
func (fa *funcAnalysis) handOff(g *ssa.Go) []op {
	callee := g.Call.StaticCallee()
	if callee == nil {
		return nil
	}
	sum := fa.r.summary(callee)
	if sum == nil {
		return nil
	}
	var ops []op
	for _, ref := range sum.Releases {
		l := fa.mapRef(ref, &g.Call, g.Pos())
		if !l.Unknown {
			ops = append(ops, op{kind: Release, lock: l, site: g.Pos()})
		}
	}
	return ops
}

// callOps returns the effects of call on locks, memoised.
func (fa *funcAnalysis) callOps(c ssa.CallInstruction) []op {
	if ops, ok := fa.ops[c]; ok {
		return ops
	}
	ops := fa.computeCallOps(c)
	for i := range ops {
		ops[i].site = c.Pos()
	}
	fa.ops[c] = ops
	return ops
}

func (fa *funcAnalysis) computeCallOps(c ssa.CallInstruction) []op {
	ops := fa.directCallOps(c)
	if _, ok := c.(*ssa.Call); !ok {
		return ops
	}
	ops = append(ops, fa.dynamicOps(c)...)
	// Once.Do runs its function before returning (the first time).
	if f, fake := onceCall(c.Common()); f != nil {
		if sum := fa.r.summary(f); sum != nil {
			do := funcName(c.Common().StaticCallee())
			for _, ref := range sum.Takes {
				ops = append(ops, op{kind: Take, lock: fa.mapRef(ref, fake, c.Pos()), via: viaOf(do, append([]string{funcName(f)}, ref.Via...)), maybe: ref.Maybe})
			}
		}
	}
	// The String and Error methods a printing function calls on its
	// operands run before it returns: their takes are the call's.
	for _, ic := range implicitCalls(c.Common()) {
		sum := fa.r.summary(ic.fn)
		if sum == nil {
			continue
		}
		fake := &ssa.CallCommon{Value: ic.fn, Args: []ssa.Value{ic.recv}}
		for _, ref := range sum.Takes {
			ops = append(ops, op{kind: Take, lock: fa.mapRef(ref, fake, c.Pos()), via: viaOf(ic.via, append([]string{funcName(ic.fn)}, ref.Via...)), maybe: ref.Maybe})
		}
	}
	return ops
}

// dynamicOps are the effects of a call through an interface with one
// implementation in the package (those of a call to that method), and
// the takes of a call through a function value with few possible
// targets (known by class only, and on some paths only when there are
// several).
func (fa *funcAnalysis) dynamicOps(c ssa.CallInstruction) []op {
	common := c.Common()
	targets, invoke := fa.r.dyn.callees(common)
	var ops []op
	for _, t := range targets {
		sum := fa.r.summary(t)
		if sum == nil || t == fa.fn {
			continue
		}
		fake := &ssa.CallCommon{Value: t}
		if invoke {
			// One implementation: the call is that method's call.
			fake.Args = append([]ssa.Value{common.Value}, common.Args...)
			ops = append(ops, fa.summaryOps(c, fake, t, sum)...)
			continue
		}
		name := funcName(t)
		if len(targets) == 1 {
			// The one target releases a lock it names by its captured
			// variables, which this call cannot name: a release by
			// class (see the unnamed releases where events are
			// recorded), before the takes, as summaryOps orders them.
			for _, ref := range append(append([]LockRef(nil), sum.Releases...), sum.Reacquires...) {
				ops = append(ops, op{kind: Release, lock: fa.mapRef(ref, fake, c.Pos()), via: viaOf(name, ref.Via)})
			}
		}
		refs := append(append([]LockRef(nil), sum.Takes...), sum.Acquires...)
		for _, ref := range refs {
			l := fa.mapRef(ref, fake, c.Pos())
			ops = append(ops, op{kind: Take, lock: l, via: viaOf(name, ref.Via), maybe: ref.Maybe || len(targets) > 1})
		}
		if len(targets) == 1 {
			for _, ref := range sum.Reacquires {
				ops = append(ops, op{kind: Acquire, lock: fa.mapRef(ref, fake, c.Pos()), via: viaOf(name, ref.Via)})
			}
		}
	}
	return ops
}

func (fa *funcAnalysis) directCallOps(c ssa.CallInstruction) []op {
	common := c.Common()
	if common.IsInvoke() {
		// sync.Locker and look-alike interfaces.
		o := syncapi.Call(common)
		if o.Type == syncapi.Locker && (o.Kind == syncapi.Lock || o.Kind == syncapi.Unlock) {
			kind := Acquire
			if o.Release() {
				kind = Release
			}
			if x, al := fa.r.lockerTarget(common.Value); al != nil {
				// x.lk or x.cond.L stands for a mutex field of x.
				mk := "*sync.Mutex"
				if al.read {
					mk = "*sync.RWMutex"
				}
				l := fa.lockFromAccess(fa.accessOf(x).withField(al.field, al.owner), mk, al.read)
				return []op{{kind: kind, lock: l}}
			}
			a := fa.accessOf(common.Value)
			l := fa.lockFromAccess(a, "*sync.Locker", false)
			return []op{{kind: kind, lock: l}}
		}
		return nil
	}
	callee := common.StaticCallee()
	if callee == nil {
		if mc := cellClosure(common.Value); mc != nil {
			// A function literal kept in a variable that another
			// closure captures: the call is that literal's.
			if sum := fa.r.summary(mc.Fn.(*ssa.Function)); sum != nil && !sum.empty() {
				fake := &ssa.CallCommon{Value: mc, Args: common.Args}
				return fa.summaryOps(c, fake, mc.Fn.(*ssa.Function), sum)
			}
			return nil
		}
		if arg := releaserArg(common.Value); arg != nil {
			_, ptr := types.Unalias(arg.Type()).(*types.Pointer)
			if mk := syncapi.TypeOf(arg.Type()); ptr && (mk == syncapi.Mutex || mk == syncapi.RWMutex) {
				l := fa.lockFromAccess(fa.accessOf(arg), "*"+mk.String(), false)
				return []op{{kind: Release, lock: l}}
			}
		}
		return nil
	}
	if kind, read, mk := syncOp(callee); mk != "" {
		if len(common.Args) == 0 {
			return nil
		}
		l := fa.lockFromAccess(fa.accessOf(common.Args[0]), "*"+mk, read)
		return []op{{kind: kind, lock: l}}
	}
	sum := fa.r.summary(callee)
	if sum == nil || sum.empty() {
		return nil
	}
	return fa.summaryOps(c, common, callee, sum)
}

// cellClosure returns the function literal that v, a load of a local
// variable's cell, holds: the variable is stored once, with a closure
// made in the same function. A variable that a closure captures lives
// in a cell even when it is never reassigned, so a call of it is not
// static.
func cellClosure(v ssa.Value) *ssa.MakeClosure {
	ld, ok := v.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return nil
	}
	cell, ok := ld.X.(*ssa.Alloc)
	if !ok {
		return nil
	}
	var mc *ssa.MakeClosure
	for _, r := range *cell.Referrers() {
		st, ok := r.(*ssa.Store)
		if !ok || st.Addr != cell {
			continue
		}
		m, ok := st.Val.(*ssa.MakeClosure)
		if !ok || mc != nil || m.Parent() != cell.Parent() {
			return nil
		}
		mc = m
	}
	if mc == nil {
		return nil
	}
	if _, ok := mc.Fn.(*ssa.Function); !ok {
		return nil
	}
	return mc
}

// summaryOps maps the effects in callee's summary onto the caller at c,
// whose arguments (receiver first) are common.Args.
func (fa *funcAnalysis) summaryOps(c ssa.CallInstruction, common *ssa.CallCommon, callee *ssa.Function, sum *Summary) []op {
	name := funcName(callee)
	var ops []op
	for _, ref := range sum.MayReleases {
		ops = append(ops, op{kind: mayReleaseOp, lock: fa.mapRef(ref, common, c.Pos()), via: viaOf(name, ref.Via)})
	}
	for _, ref := range sum.Releases {
		ops = append(ops, op{kind: Release, lock: fa.mapRef(ref, common, c.Pos()), via: viaOf(name, ref.Via)})
	}
	// A lock the callee releases and takes back is taken to be released
	// before the callee's other takes (func (c *C) handshake() {
	// c.mu.Unlock(); dial(); c.mu.Lock() }): what it takes in the
	// window is not taken under the caller's lock. A take before the
	// release is missed; an order invented is worse.
	for _, ref := range sum.Reacquires {
		ops = append(ops, op{kind: Release, lock: fa.mapRef(ref, common, c.Pos()), via: viaOf(name, ref.Via)})
	}
	for _, ref := range sum.Takes {
		ops = append(ops, op{kind: Take, lock: fa.mapRef(ref, common, c.Pos()), via: viaOf(name, ref.Via), maybe: ref.Maybe})
	}
	for _, ref := range sum.Acquires {
		ops = append(ops, op{kind: Acquire, lock: fa.mapRef(ref, common, c.Pos()), via: viaOf(name, ref.Via)})
	}
	for _, ref := range sum.Reacquires {
		ops = append(ops, op{kind: Acquire, lock: fa.mapRef(ref, common, c.Pos()), via: viaOf(name, ref.Via)})
	}
	if _, plain := c.(*ssa.Call); plain && len(sum.Leaks) > 0 && (callee.Signature.Results().Len() == 0 || unused(c.Value())) {
		// The caller cannot tell whether the lock is still held.
		for _, ref := range sum.Leaks {
			ops = append(ops, op{kind: leakOp, lock: fa.mapRef(ref, common, c.Pos()), via: viaOf(name, ref.Via)})
		}
	}
	return ops
}

// unused reports whether the result of a call is never used.
func unused(v ssa.Value) bool {
	if v == nil {
		return true
	}
	refs := v.Referrers()
	if refs == nil {
		return true
	}
	for _, r := range *refs {
		if _, ok := r.(*ssa.DebugRef); !ok {
			return false
		}
	}
	return true
}

func viaOf(name string, rest []string) []string {
	v := append([]string{name}, rest...)
	if len(v) > maxVia {
		v = v[:maxVia]
	}
	return v
}

// funcName is a short stable name for a function: "(*bank.Bank).lock",
// "bank.helper", "bank.Run$1" for closures.
func funcName(fn *ssa.Function) string {
	fn = origin(fn)
	qual := func(p *types.Package) string { return p.Name() }
	if obj, ok := fn.Object().(*types.Func); ok && obj != nil {
		if recv := obj.Type().(*types.Signature).Recv(); recv != nil {
			return "(" + RecvString(recvBase(recv.Type()), qual) + ")." + obj.Name()
		}
		if obj.Pkg() != nil {
			return obj.Pkg().Name() + "." + obj.Name()
		}
		return obj.Name()
	}
	if p := fn.Parent(); p != nil {
		outer := p
		for outer.Parent() != nil {
			outer = outer.Parent()
		}
		return funcName(outer) + " (func literal)"
	}
	return fn.Name()
}

// recvBase strips type arguments from a receiver type for display.
// RecvString renders a receiver type in Go syntax: a generic type by
// its parameters' names, (*Grove[T]), never with their constraints.
func RecvString(t types.Type, qual types.Qualifier) string {
	if p, ok := t.(*types.Pointer); ok {
		return "*" + RecvString(p.Elem(), qual)
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.TypeParams().Len() == 0 {
		return types.TypeString(t, qual)
	}
	name := n.Obj().Name()
	if n.Obj().Pkg() != nil {
		if q := qual(n.Obj().Pkg()); q != "" {
			name = q + "." + name
		}
	}
	params := make([]string, n.TypeParams().Len())
	for i := range params {
		params[i] = n.TypeParams().At(i).Obj().Name()
	}
	return name + "[" + strings.Join(params, ", ") + "]"
}

func recvBase(t types.Type) types.Type {
	if p, ok := t.(*types.Pointer); ok {
		return types.NewPointer(recvBase(p.Elem()))
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Origin()
	}
	return t
}

// mapRef maps a callee's reference onto this function at a call.
func (fa *funcAnalysis) mapRef(ref LockRef, common *ssa.CallCommon, pos token.Pos) Lock {
	var base *access
	switch ref.Kind {
	case RefParam:
		if ref.Index < len(common.Args) {
			base = fa.accessOf(common.Args[ref.Index])
		}
	case RefFreeVar:
		if mc, ok := common.Value.(*ssa.MakeClosure); ok && ref.Index < len(mc.Bindings) {
			base = fa.accessOf(mc.Bindings[ref.Index])
		}
	case RefGlobal:
		name := shortPath(ref.Global)
		if strings.HasPrefix(ref.Global, fa.pkg.Path()+".") {
			name = ref.Global[len(fa.pkg.Path())+1:]
		}
		base = &access{kind: RefGlobal, root: "g:" + ref.Global, rootName: name, rootClass: ref.Global, segOwner: ref.Global, fieldStep: -1}
	}
	if base == nil {
		l := Lock{
			Key:     fmt.Sprintf("?%s@%d", ref.Class, pos),
			Name:    ClassName(ref.Class, fa.pkg.Path()),
			Class:   ref.Class,
			Read:    ref.Read,
			Unknown: true,
		}
		fa.refs[l.Key] = LockRef{Kind: RefClass, Class: ref.Class, Read: ref.Read}
		return l
	}
	path := ref.Path
	// A field of a value returned by a constructor that stored an
	// argument there is that argument: NewAPI(c).client is c.
	for i := 0; i+1 < len(path) && base.ctor != nil; i++ {
		arg, ok := base.ctor[path[i]]
		if !ok || path[i+1] != "*" || i > 0 {
			break
		}
		base = fa.accessOf(arg)
		path = path[2:]
	}
	a := base
	hasField, hasLoad := false, false
	for _, s := range path {
		a = a.with(s)
		if s == "*" {
			hasLoad = true
		} else if !strings.HasPrefix(s, "[") {
			hasField = true
			a.fieldStep = len(a.steps) - 1
		}
	}
	class := ref.Class
	if !hasLoad && base.segOwner != "" && len(a.segFields) > 0 {
		// The callee's path extends the caller's last segment: name the
		// class from the caller's outer struct (c.in.Mutex, not
		// halfConn.Mutex).
		class = a.segOwner + "." + strings.Join(a.segFields, ".")
		a.fieldClass = class
	} else if !hasField {
		class = base.class(strings.TrimPrefix(ref.Class, "*"))
		if strings.HasPrefix(class, "*") && !strings.HasPrefix(ref.Class, "*") {
			class = ref.Class
		}
	} else {
		a.fieldClass = ref.Class
	}
	k := a.key()
	fa.byKey[k] = a
	return Lock{Key: k, Name: a.name(), Class: class, Read: ref.Read}
}

// refOf expresses a lock of this function relative to its parameters.
func (fa *funcAnalysis) refOf(l Lock, via []string) LockRef {
	if r, ok := fa.refs[l.Key]; ok || l.Unknown {
		r.Read = l.Read
		r.Via = via
		if !ok {
			r = LockRef{Kind: RefClass, Class: l.Class, Read: l.Read, Via: via}
		}
		return r
	}
	a := fa.byKey[l.Key]
	if a == nil || a.kind == refLocal {
		return LockRef{Kind: RefClass, Class: l.Class, Read: l.Read, Via: via}
	}
	r := LockRef{Kind: a.kind, Index: a.index, Path: append([]string(nil), a.steps...), Class: l.Class, Read: l.Read, Via: via}
	if a.kind == RefGlobal {
		r.Index = 0
		r.Global = strings.TrimPrefix(a.root, "g:")
	}
	return r
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

var emptyState = &lstate{}

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
	outEdge := func(b *ssa.BasicBlock, out *lstate, succ int) *lstate {
		if ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok {
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
						if len(unnamed) > 0 {
							held = nil
							for _, h := range cur.must {
								if !unnamed[h.Class] {
									held = append(held, h)
								}
							}
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
	sort.SliceStable(fl.events, func(i, j int) bool { return fl.events[i].Instr.Pos() < fl.events[j].Instr.Pos() })
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

// origin returns the generic function fn instantiates, or fn itself.
func origin(fn *ssa.Function) *ssa.Function {
	if o := fn.Origin(); o != nil {
		return o
	}
	return fn
}

// releaserArg returns the mutex that calling the function value v
// unlocks, when v is the result of a call to a function of the package
// that returns a closure over its mutex argument whose body only
// unlocks it (unlock := unlockOnce(&srv.lock), whose closure runs
// once.Do(l.Unlock)): the mutex as the call passed it, or nil.
func releaserArg(v ssa.Value) ssa.Value {
	call, ok := v.(*ssa.Call)
	if !ok {
		return nil
	}
	if syncapi.Call(&call.Call).Kind == syncapi.OnceFunc && len(call.Call.Args) == 1 {
		// unlock := sync.OnceFunc(mu.Unlock)
		if mc, ok := call.Call.Args[0].(*ssa.MakeClosure); ok {
			return syncapi.BoundRelease(mc)
		}
		return nil
	}
	f := call.Call.StaticCallee()
	if f == nil || len(f.Blocks) == 0 || len(call.Call.Args) != 1 {
		return nil
	}
	arg := call.Call.Args[0]
	for {
		switch x := arg.(type) {
		case *ssa.MakeInterface:
			arg = x.X
			continue
		case *ssa.ChangeType:
			arg = x.X
			continue
		}
		break
	}
	var closure *ssa.Function
	for _, b := range f.Blocks {
		if r, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			if len(r.Results) != 1 {
				return nil
			}
			mc, ok := r.Results[0].(*ssa.MakeClosure)
			if !ok {
				return nil
			}
			fn, _ := mc.Fn.(*ssa.Function)
			if fn == nil || closure != nil && closure != fn {
				return nil
			}
			closure = fn
		}
	}
	if closure == nil || !onlyUnlocks(closure, 0) {
		return nil
	}
	return arg
}

// onlyUnlocks reports whether fn's body unlocks (directly, through a
// bound Unlock method it hands to Once.Do, or through a closure of its
// own) and never locks.
func onlyUnlocks(fn *ssa.Function, depth int) bool {
	if depth > 2 {
		return false
	}
	unlocks := false
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			switch x := in.(type) {
			case ssa.CallInstruction:
				op := syncapi.Call(x.Common())
				switch {
				case op.Acquire():
					return false
				case op.Release():
					unlocks = true
				}
			case *ssa.MakeClosure:
				g, _ := x.Fn.(*ssa.Function)
				if g == nil {
					return false
				}
				if syncapi.BoundRelease(x) != nil {
					unlocks = true
					continue
				}
				if strings.HasPrefix(g.Synthetic, "bound method wrapper") {
					return false
				}
				if !onlyUnlocks(g, depth+1) {
					return false
				}
				unlocks = true
			}
		}
	}
	return unlocks
}
