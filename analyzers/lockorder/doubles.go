package lockorder

import (
	"fmt"
	"go/token"
	"go/types"
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
			root, key, ok := c.canonical(fl, e.Lock, ssax.Pos(e.Instr))
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
		// One finding per critical section and second acquisition:
		// c.Get(a) + c.Get(b) under one RLock is one recursion.
		var order []string
		doubles := map[string]*analysis.Diagnostic{}
		more := map[string]int{}
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
				if h.Key != e.Lock.Key || handoff(fl, h, ssax.Pos(e.Instr)) || unlockHandedOut(fl.Fn, e.Instr) {
					continue
				}
				k := fmt.Sprint(ssax.Pos(e.Instr), e.Lock.Key)
				if seen[k] {
					continue
				}
				seen[k] = true
				d := c.doubleFinding(events, i, h)
				g := d.Message
				if len(d.Related) > 0 {
					g += fmt.Sprint(d.Related[0].Pos)
				}
				if first, ok := doubles[g]; ok {
					more[g]++
					if more[g] <= 5 {
						first.Related = append(first.Related, analysis.RelatedInformation{Pos: d.Pos, Message: "also here"})
					}
					continue
				}
				doubles[g] = &d
				order = append(order, g)
			}
			if e.Deferred || hasKey(e.HeldBefore, e.Lock.Key) {
				continue
			}
			for _, st := range fl.Stale(e.Instr) {
				if st.Lock.Key != e.Lock.Key || handoff(fl, st.Lock, ssax.Pos(e.Instr)) {
					continue
				}
				k := fmt.Sprint(ssax.Pos(e.Instr), e.Lock.Key)
				if seen[k] {
					continue
				}
				seen[k] = true
				c.reportStale(fl, e, st)
			}
		}
		for _, g := range order {
			d := doubles[g]
			if n := more[g]; n > 0 {
				d.Message += fmt.Sprintf(" (and %d more %s in the same critical section)", n, names.Plural(n, "time", "times"))
			}
			c.pass.Report(*d)
		}
		c.staleSpawns(fl, handoff)
		c.doubleUnlocks(fl)
		c.recursiveRelock(fl)
		c.deferredDoubleUnlocks(fl)
	}
	c.heldAtExit(released)
}

// doubleUnlocks reports an Unlock of a lock that the function itself
// locked and already unlocked on every path to it, and has not locked
// again on any: it panics ("unlock of unlocked mutex") or, if another
// goroutine holds the lock by then, ends that goroutine's critical
// section. Often a slip for another lock, which then stays held.
func (c *checker) doubleUnlocks(fl *lockset.FuncLocks) {
	events := fl.Events()
	for _, e := range events {
		if e.Kind != lockset.Release || e.Deferred || len(e.Via) > 0 || e.Lock.Unknown || hasKey(fl.MayHeld(e.Instr), e.Lock.Key) {
			continue
		}
		var first *lockset.Event
		for i := range events {
			e0 := &events[i]
			if e0.Kind == lockset.Release && !e0.Deferred && len(e0.Via) == 0 && e0.Instr != e.Instr && e0.Lock.Key == e.Lock.Key &&
				hasKey(e0.HeldBefore, e0.Lock.Key) && ssax.Dominates(e0.Instr, e.Instr) {
				first = e0
				break
			}
		}
		if first == nil || e.Lock.Class == "*sync.Locker" {
			continue
		}
		// Locked twice (a recursive RLock, a double lock reported
		// above) and unlocked twice: the set of held locks does not
		// count, the events do.
		locks, unlocks := 0, 0
		for _, e1 := range events {
			if e1.Deferred || len(e1.Via) > 0 || e1.Lock.Key != e.Lock.Key || e1.Instr == e.Instr || !ssax.Dominates(e1.Instr, e.Instr) {
				continue
			}
			switch e1.Kind {
			case lockset.Acquire, lockset.TryAcquire:
				locks++
			case lockset.Release:
				unlocks++
			}
		}
		if locks > unlocks {
			continue
		}
		msg := fmt.Sprintf("double unlock: %s unlocks %s, which it already unlocked and has not locked again",
			names.Func(fl.Fn), e.Lock.Name)
		var stillHeld []string
		for _, l := range fl.MustHeld(e.Instr) {
			if !l.Unknown && l.Key != e.Lock.Key {
				stillHeld = append(stillHeld, l.Name)
			}
		}
		if len(stillHeld) > 0 {
			msg += fmt.Sprintf(" (%s, held here, may be the lock meant)", names.List(stillHeld))
		}
		c.pass.Report(analysis.Diagnostic{Pos: ssax.Pos(e.Instr), Category: CategoryDoubleUnlock, Message: msg,
			Related: []analysis.RelatedInformation{{Pos: ssax.Pos(first.Instr), Message: "unlocked here first"}}})
	}
}

// deferredDoubleUnlocks reports a deferred Unlock that runs at a return
// reached only after the function itself unlocked the same lock on
// every path, without locking it again: the defer was registered with
// the lock held, the body released it early (before slow work, say) and
// returned, and the deferred call then unlocks an unlocked mutex.
func (c *checker) deferredDoubleUnlocks(fl *lockset.FuncLocks) {
	events := fl.Events()
	for _, d := range events {
		if d.Kind != lockset.Release || !d.Deferred || len(d.Via) > 0 || d.Lock.Unknown || d.Lock.Class == "*sync.Locker" ||
			!hasKey(d.HeldBefore, d.Lock.Key) || fl.DeferMayRelease(d.Lock.Key) || !directUnlock(d.Instr) {
			continue
		}
		relocked := false
		for _, e := range events {
			// A Lock deferred after the Unlock runs before it (defers
			// run last in, first out): the mutex is held again.
			if e.Kind == lockset.Acquire && e.Deferred && e.Lock.Key == d.Lock.Key && ssax.Dominates(d.Instr, e.Instr) {
				relocked = true
			}
		}
		if relocked {
			continue
		}
		if twice := c.deferredTwice(fl, d); twice != nil {
			msg := fmt.Sprintf("double unlock: %s defers a second unlock of %s with no lock since the first: at return the second deferred call unlocks it while it is unlocked",
				names.Func(fl.Fn), d.Lock.Name)
			c.pass.Report(analysis.Diagnostic{Pos: ssax.Pos(d.Instr), Category: CategoryDoubleUnlock, Message: msg,
				Related: []analysis.RelatedInformation{{Pos: ssax.Pos(twice.Instr), Message: "unlock deferred here first"}}})
			continue
		}
		for _, b := range fl.Fn.Blocks {
			for _, instr := range b.Instrs {
				rd, ok := instr.(*ssa.RunDefers)
				if !ok || !ssax.Dominates(d.Instr, rd) || hasKey(fl.MayHeld(rd), d.Lock.Key) || d.Lock.Read {
					continue
				}
				// The explicit release that made it free: the last one
				// before the return that the defer dominates.
				var first *lockset.Event
				for i := range events {
					e := &events[i]
					if e.Kind == lockset.Release && !e.Deferred && len(e.Via) == 0 && e.Lock.Key == d.Lock.Key && !e.Lock.Read && directUnlock(e.Instr) &&
						ssax.Dominates(d.Instr, e.Instr) && ssax.Dominates(e.Instr, rd) {
						first = e
					}
				}
				if first == nil {
					continue
				}
				ret := rd.Pos()
				if r, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && r.Pos().IsValid() {
					ret = r.Pos()
				}
				if !ret.IsValid() {
					ret = ssax.Pos(first.Instr)
				}
				msg := fmt.Sprintf("double unlock: the deferred unlock of %s runs when %s returns here, after %s was already unlocked",
					d.Lock.Name, names.Func(fl.Fn), d.Lock.Name)
				c.pass.Report(analysis.Diagnostic{Pos: ret, Category: CategoryDoubleUnlock, Message: msg,
					Related: []analysis.RelatedInformation{
						{Pos: ssax.Pos(first.Instr), Message: "unlocked here"},
						{Pos: ssax.Pos(d.Instr), Message: "unlock deferred here"},
					}})
			}
		}
	}
}

// recursiveRelock reports a function that calls itself, on the same
// object, while holding a lock it takes in its entry block: the call
// takes it again (lockset has no summary for a function while it is
// being analysed, so the recursion is seen here). A read lock taken
// again deadlocks once a writer queues between the two.
func (c *checker) recursiveRelock(fl *lockset.FuncLocks) {
	fn := fl.Fn
	if len(fn.Blocks) == 0 {
		return
	}
	var entry []lockset.Event
	for _, e := range fl.Events() {
		if e.Kind == lockset.Acquire && !e.Deferred && len(e.Via) == 0 && !e.Lock.Unknown && e.Instr.Block() == fn.Blocks[0] {
			entry = append(entry, e)
		}
	}
	if len(entry) == 0 {
		return
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok || call.Call.StaticCallee() == nil || ssax.Origin(call.Call.StaticCallee()) != ssax.Origin(fn) {
				continue
			}
			for _, e := range entry {
				if !hasKey(fl.MustHeld(call), e.Lock.Key) || !sameParamRoot(fl, e.Lock, call) {
					continue
				}
				name := names.Func(fn)
				d := analysis.Diagnostic{Pos: call.Pos(), Category: CategoryDouble,
					Message: fmt.Sprintf("double lock: the recursive call of %s locks %s again while it is held", name, e.Lock.Name),
					Related: []analysis.RelatedInformation{{Pos: ssax.Pos(e.Instr), Message: e.Lock.Name + " locked here"}}}
				if e.Lock.Read {
					d.Category = CategoryRecursion
					d.Message = fmt.Sprintf("recursive read lock: the recursive call of %s read-locks %s again while it is read-locked; a writer queued in between deadlocks both", name, e.Lock.Name)
				}
				c.pass.Report(d)
				return
			}
		}
	}
}

// sameParamRoot reports whether lock l of fl's function is reached from
// one of its parameters that call, a call of the function itself,
// passes on unchanged: the callee's lock is the same mutex.
func sameParamRoot(fl *lockset.FuncLocks, l lockset.Lock, call *ssa.Call) bool {
	ref := fl.Ref(l)
	if ref.Kind != lockset.RefParam || ref.Index >= len(call.Call.Args) || ref.Index >= len(fl.Fn.Params) {
		return false
	}
	return call.Call.Args[ref.Index] == ssa.Value(fl.Fn.Params[ref.Index])
}

// deferredTwice returns an earlier deferred unlock of d's lock, on
// every path to d, with no lock of it between the two (defer
// first.mu.Unlock() written twice where the second meant another
// lock), or nil. Defers inside a loop are left alone.
func (c *checker) deferredTwice(fl *lockset.FuncLocks, d lockset.Event) *lockset.Event {
	if c.g.InLoop(d.Instr.Block()) {
		return nil
	}
	events := fl.Events()
	for i := range events {
		e := &events[i]
		if e.Kind != lockset.Release || !e.Deferred || e.Instr == d.Instr || len(e.Via) > 0 || e.Lock.Key != d.Lock.Key ||
			e.Lock.Read != d.Lock.Read || !directUnlock(e.Instr) || !ssax.Dominates(e.Instr, d.Instr) {
			continue
		}
		relocked := false
		for _, a := range events {
			if (a.Kind == lockset.Acquire || a.Kind == lockset.TryAcquire) && !a.Deferred && a.Lock.Key == d.Lock.Key &&
				ssax.Dominates(e.Instr, a.Instr) && ssax.Dominates(a.Instr, d.Instr) {
				relocked = true
			}
		}
		if !relocked {
			return e
		}
	}
	return nil
}

// directUnlock reports whether instr defers or calls a mutex's own
// Unlock or RUnlock (not a wrapper such as sync.OnceFunc(mu.Unlock),
// which may make a second call harmless).
func directUnlock(instr ssa.Instruction) bool {
	call, ok := instr.(ssa.CallInstruction)
	if !ok {
		return false
	}
	switch syncapi.Call(call.Common()).Kind {
	case syncapi.Unlock, syncapi.RUnlock:
		return true
	}
	return false
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
				how += " by " + names.Chain(h.ref.Via)
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
		return "(" + names.Recv(recv.Type(), qual) + ")." + obj.Name()
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

// releasesIn reports whether fl releases the lock with key anywhere,
// directly or through a callee, other than in a deferred call (which
// runs only at return).
func releasesIn(fl *lockset.FuncLocks, key string) bool {
	for _, e := range fl.Events() {
		if e.Kind == lockset.Release && !e.Deferred && e.Lock.Key == key {
			return true
		}
	}
	return false
}

// reportStale reports an acquisition of a lock that a path may have left
// held: round a loop, after an early exit that skipped the Unlock, or
// after a callee that returns holding it on some paths.
func (c *checker) reportStale(fl *lockset.FuncLocks, e lockset.Event, st lockset.Stale) {
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
	case st.Loop || (st.Site == ssax.Pos(e.Instr) && len(st.Via) == 0):
		why := "a path round the loop skips the unlock"
		if !releasesIn(fl, e.Lock.Key) {
			why = "nothing in the loop unlocks it"
		}
		msg = fmt.Sprintf("double lock: %s %s again on the next loop iteration while it may still be held: %s", name, how, why)
	case len(st.Via) > 0:
		msg = fmt.Sprintf("double lock: %s %s while it may still be held: %s returns without unlocking it on some paths", name, how, st.Via[0])
		rel = fmt.Sprintf("%s may leave %s locked%s", st.Via[0], name, viaText(st.Via[1:]))
	default:
		msg = fmt.Sprintf("double lock: %s %s while it may still be held: a path after the earlier lock skips the unlock", name, how)
		rel = fmt.Sprintf("%s acquired here; not every path releases it", name)
	}
	d := analysis.Diagnostic{Pos: ssax.Pos(e.Instr), Category: CategoryDouble, Message: msg}
	if rel != "" && st.Site.IsValid() && st.Site != ssax.Pos(e.Instr) {
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

// doubleFinding describes the second acquisition events[i] of the lock
// held, which is already held.
func (c *checker) doubleFinding(events []lockset.Event, i int, held lockset.Lock) analysis.Diagnostic {
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
	d := analysis.Diagnostic{Pos: ssax.Pos(e.Instr), Category: cat, Message: msg}
	// The earlier acquisition: the last one of this lock before e.
	for j := i - 1; j >= 0; j-- {
		p := events[j]
		if p.Lock.Key == held.Key && p.Kind == lockset.Acquire && !p.Deferred && ssax.Pos(p.Instr) < ssax.Pos(e.Instr) {
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: ssax.Pos(p.Instr), Message: fmt.Sprintf("%s acquired here%s", held.Name, viaText(p.Via))})
			break
		}
	}
	return d
}
