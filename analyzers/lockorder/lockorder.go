package lockorder

import (
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/goroutines"
	"github.com/syncvet/syncvet/passes/lockset"
)

// Analyzer reports lock order cycles, double locking and RWMutex
// recursion.
var Analyzer = &analysis.Analyzer{
	Name:      "lockorder",
	Doc:       Doc,
	URL:       "https://pkg.go.dev/github.com/syncvet/syncvet/analyzers/lockorder",
	Requires:  []*analysis.Analyzer{lockset.Analyzer, goroutines.Analyzer},
	Run:       run,
	FactTypes: []analysis.Fact{new(Edges)},
}

// Categories of diagnostics.
const (
	CategoryCycle      = "cycle"           // lock order cycle between classes
	CategoryInstance   = "instance-order"  // two instances of one class in both orders
	CategoryDouble     = "double"          // lock already held on this path
	CategoryRecursion  = "rlock-recursion" // RLock while the same RLock is held
	CategoryUpgrade    = "upgrade"         // Lock while the same RLock is held
	CategoryHeldAtExit = "held-at-exit"    // a goroutine returns holding a lock
)

// Edges is the package fact: the acquired-before edges between lock
// classes that the package's functions create, one per ordered pair.
// Besides closing cycles across packages, it is what `syncvet lockgraph`
// reads to draw the graph: every package's Edges fact, its own and its
// dependencies', as the facts make them visible.
type Edges struct {
	List []Edge
}

// Edge says that To was acquired while From was held.
type Edge struct {
	From, To string   // lock classes (see lockset.Lock.Class)
	Func     string   // the function that acquires To: "(*bank.Bank).Pay"
	File     string   // file of the acquisition
	Line     int      // line of the acquisition
	Via      []string // calls through which To was acquired
	// Gates are classes held at every site of this pair besides From; a
	// cycle whose edges share a gate cannot deadlock.
	Gates []string
}

// maxEdges caps the package fact.
const maxEdges = 1024

func (*Edges) AFact() {}

func (e *Edges) String() string {
	var ss []string
	for _, x := range e.List {
		ss = append(ss, lockset.ShortClass(x.From)+"->"+lockset.ShortClass(x.To))
	}
	return "edges(" + strings.Join(ss, ", ") + ")"
}

// site is a local edge with what is needed to report it.
type site struct {
	edge     Edge
	pos      token.Pos
	fromName string
	toName   string
}

func run(pass *analysis.Pass) (res any, err error) {
	defer func() {
		if r := recover(); r != nil {
			res = nil
			err = fmt.Errorf("internal error in lockorder: %v\n%s", r, debug.Stack())
		}
	}()
	ls := pass.ResultOf[lockset.Analyzer].(*lockset.Result)
	g := pass.ResultOf[goroutines.Analyzer].(*goroutines.Result)
	c := &checker{pass: pass, ls: ls, g: g}
	c.doubles()
	c.flushStale()
	c.collectEdges()
	if len(c.local) > 0 {
		list := make([]Edge, 0, len(c.local))
		for _, s := range c.local {
			list = append(list, s.edge)
		}
		if len(list) > maxEdges {
			list = list[:maxEdges]
		}
		pass.ExportPackageFact(&Edges{List: list})
	}
	c.cycles()
	c.instances()
	return nil, nil
}

type checker struct {
	pass  *analysis.Pass
	ls    *lockset.Result
	g     *goroutines.Result
	local []*site // one per class pair, in source order
	files map[string]*token.File
	// published memoizes the publication points of objects whose locks
	// are held at an edge (unpublished).
	published map[*ssa.Alloc]publishInfo
	// staleVia holds the double locks that one callee leaving a lock
	// held on some paths causes, by callee and leak site, in staleOrder:
	// one root cause, one finding (flushStale).
	staleVia   map[string][]analysis.Diagnostic
	staleOrder []string
}

// funcName names fn for messages, relative to the current package.
func (c *checker) funcName(fn *ssa.Function) string {
	return funcName(fn, types.RelativeTo(c.pass.Pkg))
}

// qualifiedName names fn with its package name, for facts.
func qualifiedName(fn *ssa.Function) string {
	return funcName(fn, func(p *types.Package) string { return p.Name() })
}

func funcName(fn *ssa.Function, qual types.Qualifier) string {
	if fn.Origin() != nil {
		fn = fn.Origin()
	}
	outer := fn
	for outer.Parent() != nil {
		outer = outer.Parent()
	}
	name := outer.Name()
	if q := qual(outer.Pkg.Pkg); q != "" && outer.Signature.Recv() == nil {
		name = q + "." + name
	}
	if obj, ok := outer.Object().(*types.Func); ok && obj != nil {
		if recv := obj.Type().(*types.Signature).Recv(); recv != nil {
			t := recv.Type()
			ptr := ""
			if p, ok := t.(*types.Pointer); ok {
				t, ptr = p.Elem(), "*"
			}
			if n, ok := types.Unalias(t).(*types.Named); ok {
				name = "(" + ptr + lockset.RecvString(n.Origin(), qual) + ")." + obj.Name()
			}
		}
	}
	if outer != fn {
		name += " (func literal)"
	}
	return name
}

func viaText(via []string) string {
	if len(via) == 0 {
		return ""
	}
	return " (via " + strings.Join(via, " → ") + ")"
}

// doubles reports locks acquired while already held on every path.
// Not reported: a callee that takes the lock on some paths only (the
// path may be infeasible with the lock held), and a lock that another
// function of the same family (the enclosing function and its closures)
// unlocks: a hand-off, as when a goroutine unlocks the mutex its spawner
// is waiting on.
func (c *checker) doubles() {
	released := map[*ssa.Function]map[string][]*ssa.Function{} // root -> canonical key -> releasing functions
	for _, fl := range c.ls.Funcs() {
		for _, e := range fl.Events() {
			if e.Kind != lockset.Release || e.Lock.Unknown || hasKey(e.HeldBefore, e.Lock.Key) {
				continue // not a release of a lock this function did not take
			}
			root, key, ok := c.canonical(fl, e.Lock, e.Instr.Pos())
			if !ok {
				continue
			}
			if released[root] == nil {
				released[root] = map[string][]*ssa.Function{}
			}
			released[root][key] = append(released[root][key], fl.Fn)
		}
	}
	handoff := func(fl *lockset.FuncLocks, l lockset.Lock, pos token.Pos) bool {
		root, key, ok := c.canonical(fl, l, pos)
		if !ok {
			return false
		}
		for _, fn := range released[root][key] {
			if fn != fl.Fn {
				return true
			}
		}
		return false
	}
	for _, fl := range c.ls.Funcs() {
		seen := map[string]bool{}
		events := fl.Events()
		for i, e := range events {
			if (e.Kind != lockset.Acquire && e.Kind != lockset.Take) || e.Lock.Unknown || e.Maybe {
				continue
			}
			if e.Deferred && e.Kind != lockset.Take && len(e.Via) > 0 {
				continue
			}
			if e.Lock.Class == "*sync.Locker" {
				continue // may be an RLocker, or reentrant: unknown semantics
			}
			heldBefore := e.HeldBefore
			if e.Deferred {
				heldBefore = e.AtReturn // the deferred call runs at return
			}
			for _, h := range heldBefore {
				if h.Key != e.Lock.Key || handoff(fl, h, e.Instr.Pos()) || unlockHandedOut(fl.Fn, e.Instr) {
					continue
				}
				k := fmt.Sprint(e.Instr.Pos(), e.Lock.Key)
				if seen[k] {
					continue
				}
				seen[k] = true
				c.reportDouble(fl, events, i, h)
			}
			if e.Deferred || hasKey(e.HeldBefore, e.Lock.Key) {
				continue
			}
			for _, st := range fl.Stale(e.Instr) {
				if st.Lock.Key != e.Lock.Key || handoff(fl, st.Lock, e.Instr.Pos()) {
					continue
				}
				k := fmt.Sprint(e.Instr.Pos(), e.Lock.Key)
				if seen[k] {
					continue
				}
				seen[k] = true
				c.reportStale(e, st)
			}
		}
		c.staleSpawns(fl, handoff)
	}
	c.heldAtExit(released)
}

// heldAtExit reports goroutines (the goroutines pass's spawns: go
// statements, WaitGroup and errgroup Go, time.AfterFunc and
// context.AfterFunc callbacks) whose function may return holding a lock:
// it is never released, and every later acquisition blocks. A lock of a
// class that some function of the package releases without having taken
// it (a hand-off) is not reported.
func (c *checker) heldAtExit(released map[*ssa.Function]map[string][]*ssa.Function) {
	foreign := map[string]bool{}
	for _, fl := range c.ls.Funcs() {
		for _, e := range fl.Events() {
			if e.Kind == lockset.Release && !hasKey(e.HeldBefore, e.Lock.Key) {
				foreign[e.Lock.Class] = true
			}
		}
	}
	for _, s := range c.g.Spawns {
		if !exitChecked[s.Kind] || s.Site == nil || s.Invoke != nil {
			continue
		}
		fl := c.ls.Func(s.Parent)
		if fl == nil {
			continue
		}
		instr := s.Site
		var fn *ssa.Function
		switch v := s.Value.(type) {
		case *ssa.Function:
			fn = v
		case *ssa.MakeClosure:
			fn, _ = v.Fn.(*ssa.Function)
		}
		if fn == nil || fn.Synthetic != "" {
			continue
		}
		// The call that starts fn: a go statement's arguments, none
		// for a callback.
		site := &ssa.CallCommon{Value: s.Value, Args: s.Args}
		what := "the goroutine started here"
		if s.Kind != goroutines.KindGo {
			what = "the " + c.spawnerName(s) + " callback"
		}
		sum := c.ls.Summary(fn)
		if sum == nil {
			continue
		}
		type held struct {
			ref  lockset.LockRef
			some bool
		}
		var hs []held
		for _, r := range sum.Acquires {
			hs = append(hs, held{r, false})
		}
		for _, r := range sum.Leaks {
			hs = append(hs, held{r, true})
		}
		for _, h := range hs {
			if h.ref.Kind == lockset.RefClass || strings.HasPrefix(h.ref.Class, "*") || foreign[h.ref.Class] {
				continue
			}
			l := fl.MapRef(site, instr.Pos(), h.ref)
			how := "locked"
			if h.ref.Read {
				how = "read-locked"
			}
			if len(h.ref.Via) > 0 {
				how += " by " + strings.Join(h.ref.Via, " → ")
			}
			when := "returns holding"
			if h.some {
				when = "may return holding"
			}
			c.pass.Report(analysis.Diagnostic{Pos: instr.Pos(), Category: CategoryHeldAtExit,
				Message: fmt.Sprintf("lock never released: %s %s %s (%s), so every later lock of it blocks", what, when, l.Name, how)})
		}
	}
}

// exitChecked are the spawns whose function heldAtExit checks: those
// that start it with no caller on the new goroutine to release a lock.
var exitChecked = map[goroutines.Kind]bool{
	goroutines.KindGo:        true,
	goroutines.KindWaitGroup: true,
	goroutines.KindErrgroup:  true,
	goroutines.KindAfterFunc: true,
}

// spawnerName names the function that starts a callback spawn:
// time.AfterFunc, (*sync.WaitGroup).Go.
func (c *checker) spawnerName(s *goroutines.Spawn) string {
	call, ok := s.Site.(ssa.CallInstruction)
	if !ok || call.Common().StaticCallee() == nil {
		return string(s.Kind)
	}
	obj, ok := call.Common().StaticCallee().Object().(*types.Func)
	if !ok || obj == nil || obj.Pkg() == nil {
		return string(s.Kind)
	}
	obj = obj.Origin()
	qual := func(p *types.Package) string { return p.Name() }
	if recv := obj.Signature().Recv(); recv != nil {
		return "(" + lockset.RecvString(recv.Type(), qual) + ")." + obj.Name()
	}
	return obj.Pkg().Name() + "." + obj.Name()
}

func hasKey(ls []lockset.Lock, key string) bool {
	for _, l := range ls {
		if l.Key == key {
			return true
		}
	}
	return false
}

// reportStale reports an acquisition of a lock that a path may have left
// held: round a loop, after an early exit that skipped the Unlock, or
// after a callee that returns holding it on some paths.
func (c *checker) reportStale(e lockset.Event, st lockset.Stale) {
	name := e.Lock.Name
	how := "locked"
	if e.Lock.Read {
		how = "read-locked"
	}
	if len(e.Via) > 0 {
		how = "locked by " + e.Via[0]
		if e.Lock.Read {
			how = "read-locked by " + e.Via[0]
		}
	}
	var msg, rel string
	switch {
	case st.Loop || (st.Site == e.Instr.Pos() && len(st.Via) == 0):
		msg = fmt.Sprintf("double lock: %s %s again on the next loop iteration while it may still be held: a path round the loop skips the unlock", name, how)
	case len(st.Via) > 0:
		msg = fmt.Sprintf("double lock: %s %s while it may still be held: %s returns without unlocking it on some paths", name, how, st.Via[0])
		rel = fmt.Sprintf("%s may leave %s locked%s", st.Via[0], name, viaText(st.Via[1:]))
	default:
		msg = fmt.Sprintf("double lock: %s %s while it may still be held: a path after the earlier lock skips the unlock", name, how)
		rel = fmt.Sprintf("%s acquired here; not every path releases it", name)
	}
	d := analysis.Diagnostic{Pos: e.Instr.Pos(), Category: CategoryDouble, Message: msg}
	if rel != "" && st.Site.IsValid() && st.Site != e.Instr.Pos() {
		d.Related = []analysis.RelatedInformation{{Pos: st.Site, Message: rel}}
	}
	if len(st.Via) > 0 && c.leakReportedAtHome(e.Instr.Parent(), st.Site) {
		return
	}
	if len(st.Via) > 0 {
		// Every later lock after a call of the leaking callee is the
		// same bug: held back and reported once.
		key := st.Via[0] + "@" + strconv.Itoa(int(st.Site))
		if c.staleVia == nil {
			c.staleVia = map[string][]analysis.Diagnostic{}
		}
		if c.staleVia[key] == nil {
			c.staleOrder = append(c.staleOrder, key)
		}
		c.staleVia[key] = append(c.staleVia[key], d)
		return
	}
	c.pass.Report(d)
}

// leakReportedAtHome reports whether the call at site, in fn, is a call
// of a function of another package of the module being analysed. A
// double lock after it comes from that callee's return that skips its
// Unlock, which the callee's own package reports (overlock's "return
// leaves it locked"): one bug, one finding, at the place to fix. A
// callee of another module (or of an unknown one) is still reported
// here, since its package is not checked in the same run.
func (c *checker) leakReportedAtHome(fn *ssa.Function, site token.Pos) bool {
	mod := c.pass.Module
	if mod == nil || mod.Path == "" || fn == nil {
		return false
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok || call.Pos() != site {
				continue
			}
			callee := call.Common().StaticCallee()
			if callee == nil || callee.Pkg == nil || callee.Pkg.Pkg == c.pass.Pkg {
				return false
			}
			p := callee.Pkg.Pkg.Path()
			return p == mod.Path || strings.HasPrefix(p, mod.Path+"/")
		}
	}
	return false
}

// flushStale reports, for each callee that leaves a lock held on some
// paths, the first double lock it causes, with the others as related
// positions and a count.
func (c *checker) flushStale() {
	for _, key := range c.staleOrder {
		ds := c.staleVia[key]
		sort.SliceStable(ds, func(i, j int) bool { return ds[i].Pos < ds[j].Pos })
		d := ds[0]
		if n := len(ds) - 1; n > 0 {
			d.Message += fmt.Sprintf(" (and %d more %s after calls of it)", n, names.Plural(n, "lock", "locks"))
			for i, o := range ds[1:] {
				if i == 5 {
					break
				}
				d.Related = append(d.Related, analysis.RelatedInformation{Pos: o.Pos, Message: "also locked here: " + o.Message})
			}
		}
		c.pass.Report(d)
	}
}

// staleSpawns reports goroutines started while a lock that a path left
// held is still held, when the goroutine locks it and the spawner never
// releases it: the goroutine blocks for good.
func (c *checker) staleSpawns(fl *lockset.FuncLocks, handoff func(*lockset.FuncLocks, lockset.Lock, token.Pos) bool) {
	exit := map[string]bool{}
	for _, st := range fl.StaleAtExit() {
		exit[st.Lock.Key] = true
	}
	if len(exit) == 0 {
		return
	}
	for _, b := range fl.Fn.Blocks {
		for _, instr := range b.Instrs {
			g, ok := instr.(*ssa.Go)
			if !ok {
				continue
			}
			callee := g.Call.StaticCallee()
			if mc, ok := g.Call.Value.(*ssa.MakeClosure); ok {
				callee, _ = mc.Fn.(*ssa.Function)
			}
			sum := c.ls.Summary(callee)
			if sum == nil {
				continue
			}
			refs := append(append([]lockset.LockRef(nil), sum.Takes...), sum.Acquires...)
			for _, st := range fl.Stale(instr) {
				if !exit[st.Lock.Key] || handoff(fl, st.Lock, instr.Pos()) {
					continue
				}
				for _, ref := range refs {
					if ref.Maybe || ref.Kind == lockset.RefClass {
						continue
					}
					l := fl.MapRef(g.Common(), instr.Pos(), ref)
					if l.Unknown || l.Key != st.Lock.Key {
						continue
					}
					who := "a path before it skips the unlock"
					if len(st.Via) > 0 {
						who = st.Via[0] + " returns without unlocking it on some paths"
					}
					d := analysis.Diagnostic{Pos: instr.Pos(), Category: CategoryDouble,
						Message: fmt.Sprintf("deadlock: the goroutine started here locks %s, which may still be held and is never released: %s", st.Lock.Name, who)}
					if st.Site.IsValid() {
						d.Related = []analysis.RelatedInformation{{Pos: st.Site, Message: fmt.Sprintf("%s left locked here", st.Lock.Name)}}
					}
					c.pass.Report(d)
					break
				}
			}
		}
	}
}

func (c *checker) reportDouble(fl *lockset.FuncLocks, events []lockset.Event, i int, held lockset.Lock) {
	e := events[i]
	name := e.Lock.Name
	how := "locked"
	if e.Lock.Read {
		how = "read-locked"
	}
	if len(e.Via) > 0 {
		how = e.Via[0] + " " + map[bool]string{false: "locks", true: "read-locks"}[e.Lock.Read]
	}
	var msg, cat string
	switch {
	case e.Deferred && len(e.Via) == 0 && e.Kind == lockset.Acquire:
		cat = CategoryDouble
		unlock := "Unlock"
		if e.Lock.Read {
			unlock = "RUnlock"
		}
		msg = fmt.Sprintf("double lock: %s %s again by a deferred call while it is still held at return (did you mean defer %s.%s()?)", name, how, name, unlock)
	case held.Read && e.Lock.Read:
		cat = CategoryRecursion
		if len(e.Via) > 0 {
			msg = fmt.Sprintf("recursive read lock: %s %s while it is read-locked; a writer queued in between deadlocks both", how, name)
		} else {
			msg = fmt.Sprintf("recursive read lock: %s read-locked while already read-locked; a writer queued in between deadlocks both", name)
		}
	case held.Read && !e.Lock.Read:
		cat = CategoryUpgrade
		if len(e.Via) > 0 {
			msg = fmt.Sprintf("lock upgrade deadlock: %s %s for writing while it is read-locked", how, name)
		} else {
			msg = fmt.Sprintf("lock upgrade deadlock: %s locked for writing while read-locked", name)
		}
	default:
		cat = CategoryDouble
		state := "held"
		if held.Read {
			state = "read-locked"
		}
		if len(e.Via) > 0 {
			msg = fmt.Sprintf("double lock: %s %s while it is already %s", how, name, state)
		} else {
			msg = fmt.Sprintf("double lock: %s %s while already %s", name, how, state)
		}
	}
	d := analysis.Diagnostic{Pos: e.Instr.Pos(), Category: cat, Message: msg}
	// The earlier acquisition: the last one of this lock before e.
	for j := i - 1; j >= 0; j-- {
		p := events[j]
		if p.Lock.Key == held.Key && p.Kind == lockset.Acquire && !p.Deferred && p.Instr.Pos() < e.Instr.Pos() {
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: p.Instr.Pos(), Message: fmt.Sprintf("%s acquired here%s", held.Name, viaText(p.Via))})
			break
		}
	}
	c.pass.Report(d)
}

// collectEdges gathers the class edges of the package's functions.
func (c *checker) collectEdges() {
	byPair := map[[2]string]*site{}
	for _, fl := range c.ls.Funcs() {
		for _, e := range fl.Events() {
			if e.Kind != lockset.Acquire && e.Kind != lockset.Take {
				continue
			}
			heldBefore := e.HeldBefore
			if e.Deferred {
				if e.Kind != lockset.Take {
					continue
				}
				heldBefore = e.AtReturn // the deferred call runs at return
			}
			l := e.Lock
			if l.Anonymous() {
				continue
			}
			for _, h := range heldBefore {
				if h.Key == l.Key || h.Anonymous() || h.Class == l.Class || (h.Read && l.Read) {
					continue
				}
				if c.unpublished(fl, h, e.Instr) {
					continue // no other goroutine can hold or wait for h yet
				}
				var gates []string
				for _, g := range heldBefore {
					// A read lock excludes no other reader: not a gate.
					if g.Key != h.Key && g.Key != l.Key && !g.Anonymous() && !g.Read && g.Class != h.Class && g.Class != l.Class {
						gates = append(gates, g.Class)
					}
				}
				gates = uniq(gates)
				pair := [2]string{h.Class, l.Class}
				if s, ok := byPair[pair]; ok {
					s.edge.Gates = intersectStrings(s.edge.Gates, gates)
					continue
				}
				p := c.pass.Fset.Position(e.Instr.Pos())
				s := &site{
					edge: Edge{
						From: h.Class, To: l.Class,
						Func: qualifiedName(fl.Fn),
						File: p.Filename, Line: p.Line,
						Via:   e.Via,
						Gates: gates,
					},
					pos:      e.Instr.Pos(),
					fromName: h.Name,
					toName:   l.Name,
				}
				byPair[pair] = s
				c.local = append(c.local, s)
			}
		}
	}
}

// unlockHandedOut reports whether fn takes the Unlock (or RUnlock)
// method of the mutex that the acquisition acq locks as a function
// value (server.NotifyStartedFunc = waitLock.Unlock): another party
// unlocks it, and locking it again waits for that, by design.
func unlockHandedOut(fn *ssa.Function, acq ssa.Instruction) bool {
	call, ok := acq.(ssa.CallInstruction)
	if !ok {
		return false
	}
	recv := baseOf(syncapi.Call(call.Common()).RecvArg(call.Common()))
	if recv == nil {
		return false
	}
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if mc, ok := in.(*ssa.MakeClosure); ok {
				if l := syncapi.BoundRelease(mc); l != nil && baseOf(l) == recv {
					return true
				}
			}
		}
	}
	return false
}

// baseOf strips conversions from v.
func baseOf(v ssa.Value) ssa.Value {
	for v != nil {
		switch x := v.(type) {
		case *ssa.ChangeType:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		default:
			return v
		}
	}
	return nil
}

// unpublished reports whether h is the lock of an object that fl's
// function allocated and has not yet made reachable by other goroutines
// when at runs (a connection being set up under its own lock before it
// is registered anywhere): an order taken under it cannot deadlock.
func (c *checker) unpublished(fl *lockset.FuncLocks, h lockset.Lock, at ssa.Instruction) bool {
	for _, e := range fl.Events() {
		if e.Lock.Key != h.Key || e.Kind != lockset.Acquire {
			continue
		}
		call, ok := e.Instr.(ssa.CallInstruction)
		if !ok {
			return false
		}
		op := syncapi.Call(call.Common())
		obj := ssax.ObjectOf(op.RecvArg(call.Common()))
		if obj == nil {
			return false
		}
		p, ok := c.published[obj]
		if !ok {
			p.points, p.ok = ssax.PublishPoints(obj)
			if c.published == nil {
				c.published = map[*ssa.Alloc]publishInfo{}
			}
			c.published[obj] = p
		}
		return p.ok && ssax.NoneBefore(p.points, at)
	}
	return false
}

// publishInfo memoizes ssax.PublishPoints for an object.
type publishInfo struct {
	points []ssa.Instruction
	ok     bool
}

func uniq(ss []string) []string {
	sort.Strings(ss)
	var out []string
	for i, s := range ss {
		if i == 0 || ss[i-1] != s {
			out = append(out, s)
		}
	}
	return out
}

func intersectStrings(a, b []string) []string {
	var out []string
	for _, x := range a {
		for _, y := range b {
			if x == y {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

// graphEdge is an edge of the whole visible graph.
type graphEdge struct {
	Edge
	local *site // nil for an imported edge
}

// graph returns every visible edge, imported and local, by source class,
// in a deterministic order.
func (c *checker) graph() map[string][]*graphEdge {
	g := map[string][]*graphEdge{}
	seen := map[[2]string]bool{}
	for _, s := range c.local {
		g[s.edge.From] = append(g[s.edge.From], &graphEdge{Edge: s.edge, local: s})
		seen[[2]string{s.edge.From, s.edge.To}] = true
	}
	facts := c.pass.AllPackageFacts()
	sort.Slice(facts, func(i, j int) bool { return facts[i].Package.Path() < facts[j].Package.Path() })
	for _, f := range facts {
		es, ok := f.Fact.(*Edges)
		if !ok || f.Package == c.pass.Pkg {
			continue
		}
		for _, e := range es.List {
			pair := [2]string{e.From, e.To}
			if seen[pair] {
				continue
			}
			seen[pair] = true
			g[e.From] = append(g[e.From], &graphEdge{Edge: e})
		}
	}
	for _, es := range g {
		sort.SliceStable(es, func(i, j int) bool { return es[i].To < es[j].To })
	}
	return g
}

// cycles reports each cycle of classes once, at a local edge closing it.
func (c *checker) cycles() {
	if len(c.local) == 0 {
		return
	}
	g := c.graph()
	seen := map[string]bool{}
	var found [][]*graphEdge
	for _, s := range c.local {
		path := shortestPath(g, s.edge.To, s.edge.From)
		if path == nil {
			continue
		}
		cycle := append([]*graphEdge{{Edge: s.edge, local: s}}, path...)
		if gated(cycle) {
			continue
		}
		key := cycleKey(cycle)
		if seen[key] {
			continue
		}
		seen[key] = true
		found = append(found, cycle)
	}
	// One finding per edge to break: the edge that closes the most
	// cycles left is reported with one of them and a count of the
	// others, which then need no finding of their own.
	for len(found) > 0 {
		count := map[[2]string]int{}
		var order [][2]string
		for _, cy := range found {
			for _, e := range cy {
				k := [2]string{e.From, e.To}
				if count[k] == 0 {
					order = append(order, k)
				}
				count[k]++
			}
		}
		best := order[0]
		for _, k := range order[1:] {
			if count[k] > count[best] {
				best = k
			}
		}
		var pick []*graphEdge
		var rest [][]*graphEdge
		for _, cy := range found {
			if !hasEdge(cy, best) {
				rest = append(rest, cy)
				continue
			}
			if pick == nil || cy[0].From == best[0] && cy[0].To == best[1] && !(pick[0].From == best[0] && pick[0].To == best[1]) {
				pick = cy
			}
		}
		c.reportCycle(pick, count[best]-1, best)
		found = rest
	}
}

// hasEdge reports whether the cycle has the edge from k[0] to k[1].
func hasEdge(cycle []*graphEdge, k [2]string) bool {
	for _, e := range cycle {
		if e.From == k[0] && e.To == k[1] {
			return true
		}
	}
	return false
}

// gated reports whether two edges of the cycle cannot be in progress at
// once: a deadlock needs one goroutine at each edge, each holding the
// edge's From class and its gates, and two goroutines cannot both hold
// one lock of a class that both edges hold exclusively (the outer lock
// that serializes the code of both edges).
func gated(cycle []*graphEdge) bool {
	for i, a := range cycle {
		heldA := append([]string{a.From}, a.Gates...)
		for _, b := range cycle[i+1:] {
			heldB := append([]string{b.From}, b.Gates...)
			if len(intersectStrings(heldA, heldB)) > 0 {
				return true
			}
		}
	}
	return false
}

// shortestPath finds the shortest path of edges from -> ... -> to.
func shortestPath(g map[string][]*graphEdge, from, to string) []*graphEdge {
	prev := map[string]*graphEdge{}
	visited := map[string]bool{from: true}
	queue := []string{from}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if n == to {
			var path []*graphEdge
			for n != from {
				e := prev[n]
				path = append([]*graphEdge{e}, path...)
				n = e.From
			}
			return path
		}
		for _, e := range g[n] {
			if !visited[e.To] {
				visited[e.To] = true
				prev[e.To] = e
				queue = append(queue, e.To)
			}
		}
	}
	return nil
}

func cycleKey(cycle []*graphEdge) string {
	var ss []string
	for _, e := range cycle {
		ss = append(ss, e.From+"->"+e.To)
	}
	sort.Strings(ss)
	return strings.Join(ss, ";")
}

func (c *checker) className(class string) string {
	return lockset.ClassName(class, c.pass.Pkg.Path())
}

// reportCycle reports the cycle; more is how many other cycles go
// through its edge key, which the message then names.
func (c *checker) reportCycle(cycle []*graphEdge, more int, key [2]string) {
	s := cycle[0].local
	from, to := c.className(s.edge.From), c.className(s.edge.To)
	var msg string
	if len(cycle) == 2 {
		o := cycle[1]
		msg = fmt.Sprintf("lock order inversion: %s acquired while holding %s%s; %s acquires them in the other order",
			to, from, viaText(s.edge.Via), c.edgeFunc(o))
	} else {
		names := []string{from}
		for _, e := range cycle {
			names = append(names, c.className(e.To))
		}
		msg = fmt.Sprintf("lock order cycle %s: %s acquired while holding %s%s",
			strings.Join(names, " → "), to, from, viaText(s.edge.Via))
	}
	if more > 0 {
		msg += fmt.Sprintf(" (and %d more %s through %s → %s)", more, names.Plural(more, "cycle", "cycles"), c.className(key[0]), c.className(key[1]))
	}
	d := analysis.Diagnostic{Pos: s.pos, Category: CategoryCycle, Message: msg}
	for _, e := range cycle[1:] {
		pos := token.NoPos
		if e.local != nil {
			pos = e.local.pos
		} else {
			pos = c.position(e.File, e.Line)
		}
		if !pos.IsValid() {
			continue
		}
		d.Related = append(d.Related, analysis.RelatedInformation{
			Pos:     pos,
			Message: fmt.Sprintf("%s acquired while holding %s in %s%s", c.className(e.To), c.className(e.From), c.edgeFunc(e), viaText(e.Via)),
		})
	}
	c.pass.Report(d)
}

// edgeFunc names the function of an edge: unqualified when local.
func (c *checker) edgeFunc(e *graphEdge) string {
	if e.local == nil {
		return e.Func
	}
	return strings.ReplaceAll(e.Func, c.pass.Pkg.Name()+".", "")
}

// position resolves a file and line of any package in the file set.
func (c *checker) position(file string, line int) token.Pos {
	if c.files == nil {
		c.files = map[string]*token.File{}
		c.pass.Fset.Iterate(func(f *token.File) bool {
			if _, ok := c.files[f.Name()]; !ok {
				c.files[f.Name()] = f
			}
			return true
		})
	}
	f := c.files[file]
	if f == nil || line < 1 || line > f.LineCount() {
		return token.NoPos
	}
	return f.LineStart(line)
}

// instanceEdge is an order between two instances of one class, named in
// the outermost function that can name both.
type instanceEdge struct {
	root     *ssa.Function
	class    string
	from, to string // keys in root
	fromName string
	toName   string
	pos      token.Pos
	inGo     bool // the acquisition runs on a goroutine the site starts
	fn       *ssa.Function
	callee   string // the function that locks them, for messages
}

// instances reports two instances of one class locked in both orders.
func (c *checker) instances() {
	var all []*instanceEdge
	for _, fl := range c.ls.Funcs() {
		fn := fl.Fn
		// Orders inside the function itself.
		for _, e := range fl.Events() {
			if e.Deferred || (e.Kind != lockset.Acquire && e.Kind != lockset.Take) || e.Lock.Unknown || e.Lock.Anonymous() {
				continue
			}
			for _, h := range e.HeldBefore {
				if h.Key == e.Lock.Key || h.Class != e.Lock.Class || h.Unknown || (h.Read && e.Lock.Read) {
					continue
				}
				if ie := c.instanceEdge(fl, h, e.Lock, e.Instr.Pos()); ie != nil {
					if len(e.Via) > 0 {
						ie.callee = e.Via[0]
					}
					all = append(all, ie)
				}
			}
		}
		// Orders inside callees, mapped onto the arguments.
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				if _, ok := instr.(*ssa.Defer); ok {
					continue
				}
				callee := call.Common().StaticCallee()
				if callee == nil {
					continue
				}
				sum := c.ls.Summary(callee)
				if sum == nil {
					continue
				}
				_, isGo := instr.(*ssa.Go)
				for _, se := range sum.Edges {
					if se.From.Class != se.To.Class || strings.HasPrefix(se.From.Class, "*") || (se.From.Read && se.To.Read) {
						continue
					}
					if se.From.Kind == lockset.RefClass || se.To.Kind == lockset.RefClass {
						continue
					}
					lf := fl.MapRef(call.Common(), instr.Pos(), se.From)
					lt := fl.MapRef(call.Common(), instr.Pos(), se.To)
					if lf.Unknown || lt.Unknown || lf.Key == lt.Key {
						continue
					}
					if ie := c.instanceEdge(fl, lf, lt, instr.Pos()); ie != nil {
						ie.inGo = isGo
						ie.callee = c.funcName(callee)
						all = append(all, ie)
					}
				}
			}
		}
	}
	reported := map[string]bool{}
	for i, a := range all {
		for _, b := range all[:i] {
			if a.class != b.class || a.from != b.to || a.to != b.from {
				continue
			}
			if a.root != b.root && !(strings.HasPrefix(a.from, "g:") && strings.HasPrefix(a.to, "g:")) {
				continue
			}
			// Both orders must be able to run at once: on different
			// goroutines or in different functions.
			if a.fn == b.fn && !a.inGo && !b.inGo {
				continue
			}
			k := fmt.Sprintf("%p|%s|%s|%s", a.root, a.class, minStr(a.from, a.to), maxStr(a.from, a.to))
			if reported[k] {
				continue
			}
			reported[k] = true
			first, second := a, b
			if second.pos < first.pos {
				first, second = second, first // report at the first in source order
			}
			c.reportInstance(first, second)
		}
	}
}

func (c *checker) reportInstance(a, b *instanceEdge) {
	who := "they are locked"
	if b.callee != "" {
		who = b.callee + " locks them"
	}
	p := c.pass.Fset.Position(b.pos)
	c.pass.Report(analysis.Diagnostic{
		Pos:      a.pos,
		Category: CategoryInstance,
		Message: fmt.Sprintf("lock order inversion between two %s: %s locked before %s here, after it at %s:%d; lock instances in a stable order (for example by an id)",
			c.className(a.class), a.fromName, a.toName, filepath.Base(p.Filename), p.Line),
		Related: []analysis.RelatedInformation{{Pos: b.pos, Message: fmt.Sprintf("%s in the other order: %s before %s", who, b.fromName, b.toName)}},
	})
}

func minStr(a, b string) string {
	if a < b {
		return a
	}
	return b
}

func maxStr(a, b string) string {
	if a > b {
		return a
	}
	return b
}

// instanceEdge names from and to in the outermost enclosing function,
// following captured variables out of closures.
func (c *checker) instanceEdge(fl *lockset.FuncLocks, from, to lockset.Lock, pos token.Pos) *instanceEdge {
	ie := &instanceEdge{class: from.Class, fromName: from.Name, toName: to.Name, pos: pos, fn: fl.Fn}
	if p := fl.Fn.Parent(); p != nil {
		_, ie.inGo = findClosure(p, fl.Fn)
	}
	cur := fl
	for {
		rf, rt := cur.Ref(from), cur.Ref(to)
		if rf.Kind != lockset.RefFreeVar && rt.Kind != lockset.RefFreeVar {
			break
		}
		parent := cur.Fn.Parent()
		if parent == nil {
			return nil
		}
		pfl := c.ls.Func(parent)
		mc, spawned := findClosure(parent, cur.Fn)
		if pfl == nil || mc == nil {
			return nil
		}
		common := &ssa.CallCommon{Value: mc}
		from = pfl.MapRef(common, pos, rf)
		to = pfl.MapRef(common, pos, rt)
		if from.Unknown || to.Unknown {
			return nil
		}
		if spawned {
			ie.inGo = true
		}
		cur = pfl
	}
	ie.root = cur.Fn
	ie.from, ie.to = from.Key, to.Key
	return ie
}

// canonical names l, a lock of fl, in the outermost function enclosing
// fl.Fn, following captured variables out of closures.
func (c *checker) canonical(fl *lockset.FuncLocks, l lockset.Lock, pos token.Pos) (*ssa.Function, string, bool) {
	cur := fl
	for {
		ref := cur.Ref(l)
		if ref.Kind != lockset.RefFreeVar {
			break
		}
		parent := cur.Fn.Parent()
		if parent == nil {
			return nil, "", false
		}
		pfl := c.ls.Func(parent)
		mc, _ := findClosure(parent, cur.Fn)
		if pfl == nil || mc == nil {
			return nil, "", false
		}
		l = pfl.MapRef(&ssa.CallCommon{Value: mc}, pos, ref)
		if l.Unknown {
			return nil, "", false
		}
		cur = pfl
	}
	return cur.Fn, l.Key, true
}

// findClosure finds the MakeClosure of anon in parent, and whether a go
// statement starts it.
func findClosure(parent, anon *ssa.Function) (*ssa.MakeClosure, bool) {
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			mc, ok := instr.(*ssa.MakeClosure)
			if !ok || mc.Fn != anon {
				continue
			}
			spawned := false
			if refs := mc.Referrers(); refs != nil {
				for _, r := range *refs {
					if g, ok := r.(*ssa.Go); ok && g.Call.Value == mc {
						spawned = true
					}
				}
			}
			return mc, spawned
		}
	}
	return nil, false
}
