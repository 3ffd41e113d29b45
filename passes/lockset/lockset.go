package lockset

import (
	"go/token"
	"go/types"
	"reflect"
	"sort"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/factscope"
	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/internal/panicguard"
	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/callees"
)

// Analyzer computes lock state for every function of a package and
// exports a Summary fact for each function with an object.
var Analyzer = &analysis.Analyzer{
	Name:       "lockset",
	Doc:        "compute the mutexes held at each instruction and per-function lock summaries",
	URL:        "https://pkg.go.dev/github.com/syncvet/syncvet/passes/lockset",
	Requires:   []*analysis.Analyzer{buildssa.Analyzer, callees.Analyzer},
	Run:        panicguard.Wrap("lockset", run),
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
	summaries map[*ssa.Function]*Summary  // this package's, closures included
	imported  map[*ssa.Function]*Summary  // cache of imported facts (nil entries too)
	dyn       *callees.Result             // calls without a static callee
	aliases   map[*types.Var]*lockerAlias // Locker and Cond fields that name a mutex field
	locals    *names.Locals               // the package's assignments, built on first use (localVars; under mu after run)
}

// localVars indexes the package's assignments, once.
func (r *Result) localVars() *names.Locals {
	if r.locals == nil {
		r.locals = names.NewLocals(r.pass.Files)
	}
	return r.locals
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
	return r.funcs[ssax.Origin(fn)]
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
	orig := ssax.Origin(fn)
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

// HeldWhenDeferredRuns returns the locks held, on every return that d
// dominates, when the deferred call d runs and that a defer registered
// before d releases: those held at the return, less those that the
// defers registered after d release (they run first). A defer of the
// send before the defer of the Unlock runs after it; one after runs
// while the lock is still held.
func (f *FuncLocks) HeldWhenDeferredRuns(d *ssa.Defer) []Lock {
	if f == nil {
		return nil
	}
	var out []Lock
	first := true
	for _, b := range d.Parent().Blocks {
		for _, instr := range b.Instrs {
			if _, ok := instr.(*ssa.RunDefers); !ok || !d.Block().Dominates(b) {
				continue
			}
			s := f.before[instr]
			if s == nil {
				return nil // nothing held on this return
			}
			// Only the locks that a defer registered ahead of d releases:
			// one held at the return for another reason (a lock handed
			// to another goroutine to unlock) is not this defer's to
			// order.
			released := map[string]bool{}
			for _, o := range s.defers {
				if o.site < d.Pos() && o.kind == Release {
					released[o.lock.Key] = true
				}
			}
			for i := len(s.defers) - 1; i >= 0; i-- {
				if o := s.defers[i]; o.site > d.Pos() {
					s = apply(s, o)
				}
			}
			var held []Lock
			for _, l := range s.must {
				if released[l.Key] {
					held = append(held, l)
				}
			}
			if first {
				out, first = held, false
			} else {
				out = intersect(out, held)
			}
		}
	}
	return out
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

func run(pass *analysis.Pass) (any, error) {
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
	r.dyn = pass.ResultOf[callees.Analyzer].(*callees.Result)
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
					if _, ok := order[ssax.Origin(callee)]; ok {
						visit(ssax.Origin(callee))
					}
				} else if mc := cellClosure(c.Common().Value); mc != nil {
					if f := ssax.Origin(mc.Fn.(*ssa.Function)); f != nil {
						if _, ok := order[f]; ok {
							visit(f)
						}
					}
				}
				for _, ic := range implicitCalls(c.Common()) {
					if _, ok := order[ssax.Origin(ic.fn)]; ok {
						visit(ssax.Origin(ic.fn))
					}
				}
				if _, f := callbackArg(c.Common()); f != nil {
					if _, ok := order[ssax.Origin(f)]; ok {
						visit(ssax.Origin(f))
					}
				}
				if f, _ := onceCall(c.Common()); f != nil {
					if _, ok := order[ssax.Origin(f)]; ok {
						visit(ssax.Origin(f))
					}
				}
				targets, _ := r.dyn.Callees(c)
				for _, t := range targets {
					if _, ok := order[ssax.Origin(t)]; ok {
						visit(ssax.Origin(t))
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
	std := ssax.IsStd(pass.Pkg.Path())
	for _, fn := range ssainfo.SrcFuncs {
		s := r.summaries[fn]
		if s != nil && std {
			s = s.userVisible()
		}
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

// funcName names fn in facts and call chains: "(*bank.Bank).lock",
// "bank.helper", "bank.Run.func1".
func funcName(fn *ssa.Function) string { return names.Qualified(fn, names.ByPackageName) }
