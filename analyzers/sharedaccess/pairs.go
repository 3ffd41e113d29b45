package sharedaccess

import (
	"fmt"
	"go/token"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/goroutines"
)

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
	// Variables that one statement writes together (n, err = r.Read(p))
	// and that race with one statement of the other side are one root
	// cause: one finding, naming the others.
	also := map[*siblingReport][]string{}
	merged := map[*siblingReport]bool{}
	line := func(pos token.Pos) string {
		p := st.pass.Fset.Position(pos)
		return p.Filename + ":" + strconv.Itoa(p.Line)
	}
	for i, k1 := range st.siblingOrder {
		g1 := st.siblings[k1]
		if merged[g1] || len(g1.rel) == 0 {
			continue
		}
		for _, k2 := range st.siblingOrder[i+1:] {
			g2 := st.siblings[k2]
			if merged[g2] || len(g2.rel) == 0 || g2.cat != g1.cat || g2.parent != g1.parent || g2.name == g1.name ||
				line(g2.pos) != line(g1.pos) || line(g2.rel[0].Pos) != line(g1.rel[0].Pos) {
				continue
			}
			merged[g2] = true
			also[g1] = append(also[g1], g2.name)
		}
	}
	for _, key := range st.siblingOrder {
		g := st.siblings[key]
		if merged[g] {
			continue
		}
		msg := g.msg
		if len(also[g]) > 0 {
			msg += fmt.Sprintf(" (and %s, in the same statements)", names.List(also[g]))
		}
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

func (st *state) pairSpawn(s *goroutines.Spawn, g, cont *context) {
	done := map[string]bool{}
	site, handOff := st.goSite(s), handOffGo(s)
	for _, i := range writesFirst(g.accesses) {
		a := &g.accesses[i]
		if done[a.loc.key] || st.gatedUnserved(a, g, cont) {
			continue
		}
		for _, j := range writesFirst(cont.accesses) {
			b := &cont.accesses[j]
			if !a.write && !b.write || !sameMemory(a, b) {
				continue // no conflict (conflict's own first test), before the costlier ones
			}
			if a.loc.def != nil && b.loc.def != nil && !st.sameInstance(s, b) || otherInstance(s, b) || st.parkedBefore(s, b.top) || st.handedOffThenReplaced(handOff, a, b) {
				continue
			}
			if st.laterElement(s, a, b) || b.write && st.onceBeforeSpawn(b, site) {
				continue
			}
			if !st.conflict(a, g, b, cont, nil, nil) || st.joinedFrom(s, site, a, g, b, cont) {
				continue
			}
			done[a.loc.key] = true
			what := statement(s)
			msg := fmt.Sprintf("unsynchronized %s: %s %s %s, which %s %s after %s",
				hazard(a), goroutineName(s), verb(a), a.loc.name, funcDisplay(s.Parent), verb(b), what)
			st.groupFinding(CatSpawn, s, nil, a, siblingReport{pos: ssax.ReportPos(a.instr), msg: msg, rel: []analysis.RelatedInformation{
				related(ssax.ReportPos(b.instr), fmt.Sprintf("%s %s here", verb(b), b.loc.name)),
				related(s.Pos, "goroutine started here")}})
			break
		}
	}
}

// drainedBefore reports whether the close c of a channel comes after a
// loop in its context that receives from the channel (the closer takes
// the senders' values first: for range n { <-ch }; close(ch); how many
// the loop takes is not counted), after a WaitGroup's Wait (the closer
// waits for the work it counted, which may be done by those that
// receive the senders' values), or where the last goroutine to count
// closes (closeGate).
func (st *state) drainedBefore(c *access, ctx *context) bool {
	if last, _ := closeGate(c.instr); last {
		return true
	}
	key := strings.TrimSuffix(c.loc.key, chanStateKey)
	for _, ev := range ctx.events {
		if ev.kind == goroutines.EvWait && ev.top != nil && c.top != nil && st.reach.precedes(ev.top, c.top, false) {
			return true // a WaitGroup's Wait: the closer waits for the work it counted
		}
		if ev.kind != goroutines.EvRecv || ev.key != key || ev.top == nil || c.top == nil {
			continue
		}
		if ev.top == c.top {
			// Both inside one call of the top function: ordered in the
			// callee they share.
			if ev.instr != nil && c.instr != nil && ev.instr.Parent() == c.instr.Parent() &&
				st.g.InLoop(ev.instr.Block()) && st.reach.precedes(ev.instr, c.instr, false) {
				return true
			}
			continue
		}
		if st.g.InLoop(ev.top.Block()) && st.reach.precedes(ev.top, c.top, false) {
			return true
		}
	}
	return false
}

// manySends stands for a count of sends that is not known: a goroutine
// started in a loop, or a send that may repeat.
const manySends = 1 << 20

// countSends records how many sends on each channel the goroutines that
// parent starts make: one for a send that runs at most once in a
// goroutine started once, manySends for anything that may repeat.
func (st *state) countSends(parent *ssa.Function, spawns []*goroutines.Spawn, gs []*context) {
	counts := map[string]int{}
	for i, s := range spawns {
		for _, ev := range gs[i].events {
			if ev.kind != goroutines.EvSend || ev.key == "" || ev.start || ev.instr == nil || ev.top == nil {
				continue
			}
			n := 1
			if s.Many || st.g.InLoop(ev.instr.Block()) || st.g.InLoop(ev.top.Block()) {
				n = manySends
			}
			counts[ev.key] = min(counts[ev.key]+n, manySends)
		}
	}
	if st.goSends == nil {
		st.goSends = map[*ssa.Function]map[string]int{}
	}
	st.goSends[parent] = counts
}

// receivedSends reports whether the close c, in the context cc of the
// function that started the goroutine of context cs, follows a receive
// of every value that the goroutines it started send on the channel
// (send is one of those sends): each completed send happens before its
// receive completes, so none is left to race with the close. The
// channel must be the spawner's own (not a parameter's or a global's,
// which other code may send on), the closer must not send on it itself,
// and each receive must be a plain one (not a select's case) on every
// path to the close.
func (st *state) receivedSends(send *access, cs *context, c *access, cc *context) bool {
	if cs.spawn == nil || c.top == nil || send.loc.param || strings.HasPrefix(send.loc.key, "g:") {
		return false
	}
	n := st.goSends[cs.spawn.Parent][strings.TrimSuffix(send.loc.key, chanStateKey)]
	if n == 0 || n >= manySends {
		return false
	}
	key := strings.TrimSuffix(c.loc.key, chanStateKey)
	recvs := 0
	for _, ev := range cc.events {
		if ev.key != key || ev.start {
			continue
		}
		switch ev.kind {
		case goroutines.EvSend:
			return false
		case goroutines.EvRecv:
			if _, isSelect := ev.instr.(*ssa.Select); isSelect || ev.top == nil || ev.exit {
				continue
			}
			if st.reach.dominates(ev.top, c.top, c.exit) && !st.g.InLoop(ev.top.Block()) {
				recvs++
			}
		}
	}
	return recvs >= n
}

// closeGate reports whether instr runs only where the result of an
// atomic add tested equal (last): the last of the goroutines to count
// closes (if n.Add(1) == total { close(ch) }), after the others counted
// their work done; or only where an atomic compare-and-swap succeeded
// (once): one goroutine closes, which rules out a second close but not
// a send beside it.
func closeGate(instr ssa.Instruction) (last, once bool) {
	if instr == nil {
		return false, false
	}
	for _, b := range instr.Parent().Blocks {
		ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok || !b.Succs[0].Dominates(instr.Block()) || len(b.Succs[0].Preds) != 1 {
			continue
		}
		if call, ok := ifi.Cond.(*ssa.Call); ok && syncapi.Call(&call.Call).Kind == syncapi.AtomicUpdate {
			once = true // if done.CompareAndSwap(false, true)
			continue
		}
		bin, ok := ifi.Cond.(*ssa.BinOp)
		if !ok || bin.Op != token.EQL {
			continue
		}
		for _, x := range []ssa.Value{bin.X, bin.Y} {
			if conv, ok := x.(*ssa.Convert); ok {
				x = conv.X
			}
			if call, ok := x.(*ssa.Call); ok && syncapi.Call(&call.Call).Kind == syncapi.AtomicUpdate {
				return true, once
			}
		}
	}
	return false, once
}

// flagGate reports whether instr runs only on the branch where a bool
// field was false when one critical section tested it and set it to
// true (already := c.closing; c.closing = true under c.mu, then if
// already { return }; or if c.closed { unlock; return }; c.closed =
// true): the first caller through closes, the others see it set.
func (st *state) flagGate(instr ssa.Instruction) bool {
	if instr == nil || instr.Block() == nil {
		return false
	}
	fn := instr.Parent()
	fl := st.locks.Func(fn)
	if fl == nil {
		return false
	}
	for _, b := range fn.Blocks {
		br, ok := ssax.BranchOf(b)
		if !ok {
			continue
		}
		load, fa := ssax.FieldLoad(br.Cond)
		if fa == nil {
			continue
		}
		unset := br.OnFalse
		if len(unset.Preds) != 1 || !unset.Dominates(instr.Block()) {
			continue
		}
		for _, sb := range fn.Blocks {
			for _, in := range sb.Instrs {
				store, ok := in.(*ssa.Store)
				if !ok || !ssax.IsTrue(store.Val) {
					continue
				}
				sfa, ok := store.Addr.(*ssa.FieldAddr)
				if !ok || sfa.X != fa.X || sfa.Field != fa.Field {
					continue
				}
				if _, ok := fl.OneSection(load, store); ok && ssax.Dominates(load, store) {
					return true
				}
			}
		}
	}
	return false
}

// laterElement reports whether the continuation's access b, to the
// element of the spawning loop's index that the goroutine's access a
// also names, can only run in a later iteration: with the next index,
// another element (shards[i].wake = make(...) before each go).
func (st *state) laterElement(s *goroutines.Spawn, a, b *access) bool {
	// The goroutine names the index by the spawner's value it was
	// handed (an argument, a captured per-iteration variable): the
	// same idx, and the spawner's definition of it.
	def := b.loc.idxDef
	if def == nil || a.loc.idxDef != nil && a.loc.idxDef != def || a.loc.idx != b.loc.idx || b.top == nil || b.top.Parent() != s.Parent {
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
			(st.reach.precedes(q.top, b.top, b.exit) || !b.exit && st.sameCall(q.top, b.top, q.instr, b.instr, q.late, b.late)) {
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
// reach a. A channel that is a parameter of the spawner does not gate:
// others may hold it and send.
func (st *state) gatedUnserved(a *access, g, cont *context) bool {
	if a.top == nil || a.top.Block() == nil || cont.startsOthers {
		return false // (goroutines the continuation starts may send)
	}
	for _, q := range g.events {
		if q.kind != goroutines.EvRecv || q.key == "" || q.start || q.top == nil || q.top.Parent() != a.top.Parent() {
			continue
		}
		if name, ok := strings.CutPrefix(q.key, "p:"); ok && !strings.ContainsAny(name, ".*[") {
			// A channel the spawner was handed: its caller, or whoever
			// else holds it, may be sending already (for a := range
			// updates { c.addr = a }).
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
	return !s.Many && b.goEntry != nil && s.Entry != nil && b.goEntry == ssax.Origin(s.Entry)
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
		order := writesFirst(g.accesses)
		if a.loc.chanOp {
			// A send beside the close names the hazard better than
			// the close beside itself.
			order = readsFirst(g.accesses)
		}
		for _, j := range order {
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
			if a.loc.chanOp {
				lastA, onceA := closeGate(a.instr)
				lastB, onceB := closeGate(b.instr)
				onceA = onceA || st.flagGate(a.instr)
				onceB = onceB || st.flagGate(b.instr)
				if lastA || b.write && (lastB || onceA || onceB) {
					continue // the last instance to count closes, or one closes once
				}
			}
			if st.before(a, g, b, g, nil) || st.before(b, g, a, g, nil) || st.exclusiveBranches(a, b) {
				continue
			}
			done[a.loc.key] = true
			var msg string
			many := "instances of " + goroutineName(s)
			if s.Entry != nil {
				many = "goroutines running " + funcDisplay(s.Entry)
			}
			if s.Kind == goroutines.KindHandler {
				many = "concurrent calls of handler " + funcDisplay(s.Entry)
			}
			if a.loc.chanOp {
				if b.write {
					msg = fmt.Sprintf("unsynchronized %s: %s may run at once and each closes %s; the second close panics", hazard(a), many, a.loc.name)
				} else {
					msg = fmt.Sprintf("unsynchronized %s: %s may run at once; one closes %s while another sends on it", hazard(a), many, a.loc.name)
				}
			} else if b.write {
				msg = fmt.Sprintf("unsynchronized %s: %s may run at once and each writes %s", hazard(a), many, a.loc.name)
			} else {
				msg = fmt.Sprintf("unsynchronized %s: %s may run at once; one writes %s while another reads it", hazard(a), many, a.loc.name)
			}
			rel := []analysis.RelatedInformation{}
			if b != a {
				rel = append(rel, related(ssax.ReportPos(b.instr), fmt.Sprintf("%s %s here", verb(b), b.loc.name)))
			}
			rel = append(rel, related(s.Pos, "goroutines started here"))
			st.report(ssax.ReportPos(a.instr), CatInstances, msg, rel...)
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
			other := goroutineName(s2)
			if other == goroutineName(s1) {
				other = "another " + strings.TrimPrefix(other, "the ")
			}
			msg := fmt.Sprintf("unsynchronized %s: %s %s %s, which %s %s",
				hazard(a), goroutineName(s1), verb(a), a.loc.name, other, verb(b))
			st.groupFinding(CatSiblings, s1, s2, a, siblingReport{pos: ssax.ReportPos(a.instr), msg: msg, rel: []analysis.RelatedInformation{
				related(ssax.ReportPos(b.instr), fmt.Sprintf("%s %s here", verb(b), b.loc.name)),
				related(s1.Pos, "first goroutine started here"),
				related(s2.Pos, "second goroutine started here")}})
			break
		}
	}
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

// readsFirst orders the indices of accs with the reads before the
// writes.
func readsFirst(accs []access) []int {
	out := make([]int, 0, len(accs))
	for i := range accs {
		if !accs[i].write {
			out = append(out, i)
		}
	}
	for i := range accs {
		if accs[i].write {
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
