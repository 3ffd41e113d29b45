package sharedaccess

import (
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"

	"github.com/syncvet/syncvet/passes/goroutines"
)

// sameMemory reports whether a and b may touch the same memory.
func sameMemory(a, b *access) bool {
	if a.loc.chanOp != b.loc.chanOp {
		return false // a channel's state is not the variable that holds it
	}
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
		if q.kind == evBarrier && (st.reach.precedes(q.top, b.top, b.exit) || !b.exit && st.sameCall(q.top, b.top, q.instr, b.instr, q.late, b.late)) {
			return true
		}
	}
	for _, q := range extra {
		if q.kind == evBarrier {
			return true
		}
	}
	for _, r := range ca.events {
		if !st.releasedAfter(r, a) {
			continue
		}
		if r.since != nil && !st.reach.dominates(r.since, a.top, a.exit) {
			continue
		}
		if st.nextRoundFree(a, ca, r) {
			continue
		}
		var qs []ssa.Instruction
		for _, q := range cb.events {
			if acquires(q.kind) && matches(r, q) {
				if q.start || st.acquiredBefore(q, b) || !b.exit && st.sameCall(q.top, b.top, q.instr, b.instr, q.late, b.late) {
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
		for _, m := range st.relays {
			if m != ca && m != cb && st.relayed(r, m, b, cb) {
				return true
			}
		}
	}
	return false
}

// releasedAfter reports whether r, of a's context, releases after a
// (at the context's exit, or on a path after it).
func (st *state) releasedAfter(r event, a *access) bool {
	return releases(r.kind) && (r.exit || !a.exit && (st.reach.after(a.top, r.top) || st.sameCall(a.top, r.top, a.instr, r.instr, a.late, r.late)))
}

// joinedFrom reports whether every path from the spawn site to b (in
// the continuation cb) passes an acquire of something the goroutine ca
// releases after a: the spawner waits for the goroutine on every path
// on which it started it, though not on every path to b (a Wait that
// ends the only branch that starts goroutines, b after the branches
// join). For goroutines started in a loop only a WaitGroup's Wait
// counts: one receive joins one of them.
func (st *state) joinedFrom(s *goroutines.Spawn, site ssa.Instruction, a *access, ca *context, b *access, cb *context) bool {
	if site == nil || b.exit || b.top == nil || site.Parent() != b.top.Parent() || !st.reach.after(site, b.top) {
		return false
	}
	var qs []ssa.Instruction
	for _, r := range ca.events {
		if !st.releasedAfter(r, a) {
			continue
		}
		if r.since != nil || st.nextRoundFree(a, ca, r) || s.Many && r.kind != goroutines.EvDone {
			continue
		}
		for _, q := range cb.events {
			if acquires(q.kind) && !q.start && !q.exit && q.top != nil && q.top.Parent() == site.Parent() && !selectCase(q) && matches(r, q) {
				qs = append(qs, q.top)
			}
		}
	}
	return len(qs) > 0 && !st.reach.afterAvoidingAll(site, b.top, qs)
}

// relayed reports whether a third goroutine m passes an order on: it
// acquires what r released, then releases something that cb acquires
// before b. A pipeline's middle stage receives from the feeder and sends
// on to the consumer, so what the feeder did before its send comes
// before what the consumer does after its receive.
func (st *state) relayed(r event, m *context, b *access, cb *context) bool {
	for _, q1 := range m.events {
		if !acquires(q1.kind) || q1.exit || q1.start || !matches(r, q1) {
			continue
		}
		// A receive in a loop sees a close only as its last round ends
		// the loop: what the loop's body releases does not follow it.
		closeEnds := r.kind == goroutines.EvClose && q1.top != nil && st.g.InLoop(q1.top.Block())
		for _, r2 := range m.events {
			if !releases(r2.kind) || !(r2.exit || st.reach.after(q1.top, r2.top) || st.sameCall(q1.top, r2.top, q1.instr, r2.instr, q1.late, r2.late)) {
				continue
			}
			if closeEnds && !r2.exit && (r2.top == nil || st.g.InLoop(r2.top.Block())) {
				continue
			}
			for _, q2 := range cb.events {
				if r2.kind == goroutines.EvClose && q2.top != nil && st.g.InLoop(q2.top.Block()) && !b.exit && b.top != nil && st.g.InLoop(b.top.Block()) {
					continue // b runs in the rounds before the one that sees the close
				}
				if acquires(q2.kind) && matches(r2, q2) &&
					(q2.start || st.acquiredBefore(q2, b) || !b.exit && st.sameCall(q2.top, b.top, q2.instr, b.instr, q2.late, b.late)) {
					return true
				}
			}
		}
	}
	return false
}

// nextRoundFree reports whether, in a loop, a's next round can follow
// the release r with nothing acquired in between: that round runs beside
// whatever the other side does once it has acquired (the goroutine reads
// a field again while the spawner writes it after receiving the last
// round's value). A loop that waits for a go-ahead before each round
// (a receive, a Wait) is ordered by it instead.
func (st *state) nextRoundFree(a *access, ca *context, r event) bool {
	if r.kind != goroutines.EvSend && r.kind != goroutines.EvRecv {
		return false // a WaitGroup's Wait waits for every round's Done; a close happens once
	}
	if r.exit || a.exit || a.top == nil || r.top == nil || a.top == r.top || !st.reach.after(r.top, a.top) {
		return false
	}
	for _, q := range ca.events {
		if acquires(q.kind) && !q.exit && q.top != nil && q.top != r.top && st.reach.after(r.top, q.top) && st.reach.after(q.top, a.top) {
			return false
		}
	}
	return true
}

// acquiredBefore reports whether the acquire q comes before b: q's
// instruction precedes b, and for a case of a select in the top
// function, b is not in the body of another case (which runs when that
// case, not q's, is chosen).
func (st *state) acquiredBefore(q event, b *access) bool {
	if !st.reach.precedes(q.top, b.top, b.exit) {
		return false
	}
	if !selectCase(q) || b.exit {
		return true
	}
	sel := q.instr.(*ssa.Select)
	for i := range sel.States {
		if i == q.state {
			continue
		}
		cb, ok := ssax.CaseBlock(sel, i)
		if ok && cb != sel.Block() && len(cb.Preds) == 1 && cb.Dominates(b.top.Block()) {
			return false // b is in another case's body
		}
	}
	return true
}

// selectCase reports whether q is a case of a select in the context's top
// function.
func selectCase(q event) bool {
	_, ok := q.instr.(*ssa.Select)
	return ok && q.instr == q.top
}

// sameCall reports whether x and y, inside callees of one call of the
// top function (tx == ty), may run in that order: y after x in one
// function, or in two functions below the call (assumed ordered). A
// late one (deferred in a callee) runs after every other of the call.
func (st *state) sameCall(tx, ty, x, y ssa.Instruction, xLate, yLate bool) bool {
	if tx == nil || tx != ty || x == nil || y == nil || x == tx {
		return false
	}
	if xLate != yLate {
		return yLate
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
	if a.loc.chanOp && (a.write && st.drainedBefore(a, ca) || b.write && st.drainedBefore(b, cb)) {
		return false
	}
	if a.loc.chanOp && (!a.write && b.write && st.receivedSends(a, ca, b, cb) || a.write && !b.write && st.receivedSends(b, cb, a, ca)) {
		return false // the closer received every value sent first
	}
	if a.loc.chanOp && a.write && b.write {
		if _, once := closeGate(a.instr); once {
			return false // one of them closes, once
		}
		if _, once := closeGate(b.instr); once {
			return false
		}
	}
	if (a.atomic || b.atomic) && !st.mixedOK(a, b) || !a.atomic && !b.atomic && (st.ignored(a) || st.ignored(b)) {
		return false
	}
	if st.chanLocked(a, ca) && st.chanLocked(b, cb) {
		return false
	}
	if a.lazy && (b.lazy || !b.write) || b.lazy && (a.lazy || !a.write) {
		// Initialised on first use under a nil check, beside a read
		// or another such initialisation. An unconditional write on
		// the other side still conflicts: a goroutine that assigns the
		// captured err while its starter, past `if err != nil {
		// return }`, assigns it too.
		return false
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
	if st.exclusiveBranches(a, b) {
		return false // a setting of the object picks one side for all
	}
	return !st.before(a, ca, b, cb, extraAB) && !st.before(b, cb, a, ca, extraBA)
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
