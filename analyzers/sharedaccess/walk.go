package sharedaccess

import (
	"go/constant"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/callees"
	"github.com/syncvet/syncvet/passes/goroutines"
	"github.com/syncvet/syncvet/passes/lockset"
)

const maxDepth = 4

// maxSteps bounds the instructions one context visits in callees (a
// recursive visitor with a case per node type, such as go/ast's Walk,
// otherwise multiplies its call sites up to maxDepth).
const maxSteps = 40000

// walk visits the instructions of fr.fn.
func (fr *frame) walk() {
	c := fr.c
	if fr.depth > maxDepth || fr.fn.Blocks == nil {
		return
	}
	if c.seen[fr.fn] > 2 {
		return
	}
	c.seen[fr.fn]++
	defer func() { c.seen[fr.fn]-- }()
	fl := c.st.locks.Func(fr.fn)
	for _, b := range fr.fn.Blocks {
		if fr.live != nil && !fr.live[b] {
			continue
		}
		c.steps += len(b.Instrs)
		for _, instr := range b.Instrs {
			if fr.filter != nil && !fr.filter(instr) || fr.parallel != nil && !fr.parallel(instr) {
				continue
			}
			fr.visit(instr, fl)
		}
	}
}

func (fr *frame) topOf(instr ssa.Instruction) ssa.Instruction {
	if fr.top != nil {
		return fr.top
	}
	return instr
}

// atExit and isLate say when something deferred at this frame runs: a
// defer of the top function runs at its return (exit); one in a callee
// runs as the callee returns, still inside the top function's call that
// leads to it (late), after everything else that call does. A goroutine
// that a callee starts runs its defers at its own end, which nothing in
// the top function's call waits for: marked exit, as the top's are.
func (fr *frame) atExit(deferred bool) bool {
	return fr.exit || deferred && (fr.top == nil || fr.goEntry != nil)
}

func (fr *frame) isLate(deferred bool) bool {
	return fr.late || deferred && fr.top != nil && fr.goEntry == nil
}

func (fr *frame) heldAt(instr ssa.Instruction, fl *lockset.FuncLocks) []lockset.Lock {
	held := append([]lockset.Lock(nil), fr.locks...)
	held = append(held, fl.MustHeld(instr)...)
	held = append(held, fl.MayHeld(instr)...)
	// The locks every caller in the package holds, and those the
	// function's contract says its caller holds: held in its callees
	// too (a method of a field's type called from a ...Locked helper).
	held = append(held, fr.c.st.entry[fr.fn]...)
	if fr.c.st.callerLocked(fr.fn) {
		held = append(held, receiverLocks(fr.fn)...)
	}
	return held
}

func (fr *frame) add(loc path, write bool, instr ssa.Instruction, fl *lockset.FuncLocks) {
	if fr.c.st.ignoredLoc(loc) || fr.c.st.reach.panicOnly(instr.Block()) {
		return
	}
	_, isDefer := instr.(*ssa.Defer)
	locks := fr.heldAt(instr, fl)
	// Locks that every caller in the package holds (a helper of a
	// timer callback that takes the lock itself, called with it held).
	locks = append(locks, fr.c.st.entry[fr.fn]...)
	if fr.afterOnce(instr) {
		locks = append(locks, onceLock)
	}
	locks = append(locks, fr.customLocks(instr)...)
	if fr.c.st.callerLocked(fr.fn) {
		// The caller holds some lock by the function's own contract:
		// for a method, one of its receiver's mutexes.
		locks = append(locks, callerLock)
		locks = append(locks, receiverLocks(fr.fn)...)
	}
	fr.c.accesses = append(fr.c.accesses, access{
		loc: loc, write: write, instr: instr, top: fr.topOf(instr),
		exit: fr.atExit(isDefer), late: fr.isLate(isDefer),
		locks: locks, fn: fr.fn, goEntry: fr.goEntry, lazy: write && (!loc.param && !strings.HasPrefix(loc.key, "g:") && !strings.HasPrefix(loc.key, "fv:") || len(locks) > 0) && lazyInit(instr),
	})
}

// chanState records a close of the channel ch (a write) or a send on it
// (a read) as an access to the channel's state: a send may not run at
// the same time as the close, nor two closes, or the program panics.
// Receives do not count: a receive from a closed channel is how the
// close is seen.
func (fr *frame) chanState(ch ssa.Value, close bool, instr ssa.Instruction, fl *lockset.FuncLocks) {
	if reassignedVar(ch) {
		return // which channel the variable holds at each use is not followed
	}
	p, ok := fr.chanPath(ch)
	if !ok {
		return
	}
	p.key += chanStateKey
	p.chanOp, p.idx, p.idxDef, p.window = true, "", nil, ""
	fr.add(p, close, instr, fl)
}

// reassignedVar reports whether ch is loaded from a local variable (or
// a function literal's captured one) that is assigned more than once:
// done = make(chan struct{}) before each of several goroutines.
func reassignedVar(ch ssa.Value) bool {
	cell := ssax.LoadedCell(ch)
	return cell != nil && len(ssax.CellStores(cell)) > 1
}

// chanStateKey ends the key of a channel's state (chanState).
const chanStateKey = "<state>"

// chanPath returns the channel obj as events name it: the value
// stored in the variable that a channel made by the root goes into, as
// captures see it, or what obj resolves to.
func (fr *frame) chanPath(obj ssa.Value) (path, bool) {
	if mc, ok := obj.(*ssa.MakeChan); ok && fr.isRoot() {
		var out path
		found := false
		for _, r := range *mc.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Val == mc {
				if p, ok := fr.resolve(st.Addr); ok {
					out, found = p, true
					out.key += "*"
				}
			}
		}
		return out, found
	}
	return fr.resolve(obj)
}

// chanKey returns the identity of the channel obj, as events name it,
// or "".
func (fr *frame) chanKey(obj ssa.Value) string {
	if p, ok := fr.chanPath(obj); ok {
		return p.key
	}
	return ""
}

// eventType names the type of an event's object, once per type. Directions
// do not matter: a chan<- T parameter and a <-chan T field may be one
// channel.
func (st *state) eventType(t types.Type) string {
	if s, ok := st.typeNames[t]; ok {
		return s
	}
	s := types.TypeString(t, nil)
	if ch, ok := t.Underlying().(*types.Chan); ok {
		s = "chan " + types.TypeString(ch.Elem(), nil)
	}
	if st.typeNames == nil {
		st.typeNames = map[types.Type]string{}
	}
	st.typeNames[t] = s
	return s
}

func (fr *frame) event(kind goroutines.EventKind, obj ssa.Value, instr ssa.Instruction, exit bool) {
	ev := event{kind: kind, top: fr.topOf(instr), instr: instr, exit: fr.atExit(exit), late: fr.isLate(exit)}
	if obj != nil {
		ev.typ = fr.c.st.eventType(obj.Type())
		ev.key = fr.chanKey(obj)
		ev.capacity = -1
		if _, isChan := obj.Type().Underlying().(*types.Chan); isChan {
			ev.capacity = fr.c.st.chanCapacity(fr, obj, ev.key)
			ev.buffered = ev.capacity > 0
			ev.fills = kind == goroutines.EvSend && (fr.fillsChan(instr, obj) || ev.capacity > 0 && fr.sendsBefore(instr, obj, ev.capacity))
		}
	}
	fr.c.events = append(fr.c.events, ev)
}

func (fr *frame) visit(instr ssa.Instruction, fl *lockset.FuncLocks) {
	if fr.c.spawn == nil || instr != fr.c.spawn.Site {
		if fr.c.st.spawnSite(instr) {
			fr.c.startsOthers = true
		}
	}
	switch in := instr.(type) {
	case *ssa.Store:
		if ld, ok := in.Val.(*ssa.UnOp); ok && ld.Op == token.MUL && ld.X == in.Addr {
			return // x = x, as a return of named results does
		}
		if p, ok := fr.resolve(in.Addr); ok && !p.cell {
			fr.add(p, true, in, fl)
		}
	case *ssa.UnOp:
		switch in.Op {
		case token.MUL:
			if ssax.DeadArrayLoad(in) {
				break // for i := range x.arr loads the array and drops it
			}
			if p, ok := fr.resolve(in.X); ok && !p.cell {
				fr.add(p, false, in, fl)
			}
		case token.ARROW:
			if !fr.ctxDoneEvent(in.X, in) {
				fr.event(goroutines.EvRecv, in.X, in, false)
			}
		}
	case *ssa.MapUpdate:
		if p, ok := fr.resolve(in.Map); ok {
			fr.add(mapContents(p), true, in, fl)
		}
	case *ssa.Lookup:
		if _, ok := in.X.Type().Underlying().(*types.Map); ok {
			if p, ok := fr.resolve(in.X); ok {
				fr.add(mapContents(p), false, in, fl)
			}
		}
	case *ssa.Range:
		if _, ok := in.X.Type().Underlying().(*types.Map); ok {
			if p, ok := fr.resolve(in.X); ok {
				fr.add(mapContents(p), false, in, fl)
			}
		}
	case *ssa.MakeClosure:
		// A closure made by the goroutine is usually run by it (passed
		// to a helper that calls it): walk it where it is made.
		if fr.filter == nil && fr.c.spawn != nil && fr.c.topFn != fr.c.root {
			if f, ok := in.Fn.(*ssa.Function); ok && !calledDirectly(in) && fr.passedInPackage(in) {
				// Under the locks the helper holds wherever it calls
				// the closure (m.withLock(func() {...})).
				fr.enter(in, f, nil, in.Bindings, fl, false, fr.c.st.heldAtParamCalls(in)...)
			}
		}
	case *ssa.Convert:
		if _, ok := in.X.Type().Underlying().(*types.Slice); ok {
			if p, ok := fr.resolve(in.X); ok {
				fr.add(elems(p), false, in, fl)
			}
		}
	case *ssa.Send:
		fr.chanState(in.Chan, false, in, fl)
		fr.event(goroutines.EvSend, in.Chan, in, false)
	case *ssa.Select:
		for i, s := range in.States {
			k := goroutines.EvRecv
			if s.Dir == types.SendOnly {
				k = goroutines.EvSend
				fr.chanState(s.Chan, false, in, fl)
			} else if fr.ctxDoneEvent(s.Chan, in) {
				continue
			}
			fr.event(k, s.Chan, in, false)
			fr.c.events[len(fr.c.events)-1].state = i
		}
	case *ssa.Go:
		if fr.filter != nil {
			// Another spawn of the root: examined on its own. A
			// goroutine that starts serving HTTP (go srv.Serve(ln),
			// or a method of the package that calls it) still orders
			// the code before it ahead of every handler's run.
			if f, _ := ssax.FuncOf(in.Call.Value); f != nil && startsServing(f, 0) || in.Call.StaticCallee() != nil && httpServes(in.Call.StaticCallee()) {
				fr.c.events = append(fr.c.events, event{kind: goroutines.EvClose, key: httpServeKey, top: fr.topOf(instr), instr: instr, exit: fr.atExit(false), late: fr.isLate(false), capacity: -1})
			}
			return
		}
		// A goroutine started by a callee is walked as part of the
		// caller, marked with its entry.
		if f, _ := ssax.FuncOf(in.Call.Value); f != nil {
			fr.goEntry, f = ssax.Origin(f), fr.goEntry
			defer func() { fr.goEntry = f }()
		}
		fr.call(in, in.Common(), fl, false)
	case *ssa.Defer:
		fr.call(in, in.Common(), fl, true)
	case *ssa.Call:
		fr.call(in, in.Common(), fl, false)
	}
}

// sliceRange returns "*lo:hi" for a slice expression with constant
// bounds, else "*".
func sliceRange(sl *ssa.Slice) string {
	lo := int64(0)
	if sl.Low != nil {
		c, ok := sl.Low.(*ssa.Const)
		if !ok || c.Value == nil || c.Value.Kind() != constant.Int {
			return "*"
		}
		lo, _ = constant.Int64Val(c.Value)
	}
	c, ok := sl.High.(*ssa.Const)
	if !ok || c.Value == nil || c.Value.Kind() != constant.Int {
		return "*"
	}
	hi, _ := constant.Int64Val(c.Value)
	return "*" + strconv.FormatInt(lo, 10) + ":" + strconv.FormatInt(hi, 10)
}

// elems names all elements of the slice p.
func elems(p path) path {
	return path{key: p.key + "[]", name: p.name, inst: p.inst, def: p.def, idx: "*"}
}

// stopBefore returns a call of Stop on the timer named key that
// dominates instr in the top function, or nil.
func (fr *frame) stopBefore(instr ssa.Instruction, key string) ssa.Instruction {
	for _, b := range fr.fn.Blocks {
		for _, in := range b.Instrs {
			c, ok := in.(*ssa.Call)
			if !ok || len(c.Call.Args) != 1 {
				continue
			}
			if syncapi.Call(&c.Call).Kind != syncapi.TimerStop {
				continue
			}
			if p, ok := fr.resolve(c.Call.Args[0]); ok && p.key == key && fr.c.st.reach.dominates(in, instr, false) {
				return fr.topOf(in)
			}
		}
	}
	return nil
}

func mapContents(p path) path {
	return path{key: p.key + "{}", name: p.name, inst: p.inst, def: p.def, param: p.param}
}

func (fr *frame) call(instr ssa.Instruction, c *ssa.CallCommon, fl *lockset.FuncLocks, deferred bool) {
	if b, ok := c.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "delete", "clear":
			if len(c.Args) > 0 {
				if _, ok := c.Args[0].Type().Underlying().(*types.Map); ok {
					if p, ok := fr.resolve(c.Args[0]); ok {
						fr.add(mapContents(p), true, instr, fl)
					}
				}
			}
		case "close":
			fr.chanState(c.Args[0], true, instr, fl)
			fr.event(goroutines.EvClose, c.Args[0], instr, deferred)
		case "len":
			if len(c.Args) == 1 {
				if _, ok := c.Args[0].Type().Underlying().(*types.Map); ok {
					if p, ok := fr.resolve(c.Args[0]); ok {
						fr.add(mapContents(p), false, instr, fl)
					}
				}
			}
		case "append":
			// append reads the elements it may copy and writes past len.
			if len(c.Args) >= 1 {
				if p, ok := fr.resolve(c.Args[0]); ok {
					fr.add(elems(p), false, instr, fl)
				}
			}
			if len(c.Args) == 2 {
				if p, ok := fr.resolve(c.Args[1]); ok {
					if _, isSlice := c.Args[1].Type().Underlying().(*types.Slice); isSlice {
						fr.add(elems(p), false, instr, fl)
					}
				}
			}
		case "copy":
			if len(c.Args) == 2 {
				if p, ok := fr.resolve(c.Args[0]); ok {
					e := elems(p)
					if sl, ok := c.Args[0].(*ssa.Slice); ok {
						e.idx = sliceRange(sl)
					}
					fr.add(e, true, instr, fl)
				}
				if p, ok := fr.resolve(c.Args[1]); ok {
					if _, isSlice := c.Args[1].Type().Underlying().(*types.Slice); isSlice {
						fr.add(elems(p), false, instr, fl)
					}
				}
			}
		}
		return
	}
	if c.IsInvoke() {
		// A method of an interface: walk it when the dynamic type is
		// known (converted in sight) or the package has one type
		// implementing the interface.
		if f := fr.implOf(c); f != nil {
			fr.enter(instr, f, append([]ssa.Value{c.Value}, c.Args...), nil, fl, deferred)
		}
		return
	}
	callee := c.StaticCallee()
	if callee == nil && fr.cancelEvent(c, instr, deferred) {
		return
	}
	if callee == nil {
		if body := callees.YieldArg(c); body != nil {
			// A range-over-func loop: the iterator runs the body
			// here, under the locks held at the loop.
			for _, a := range c.Args {
				if mc, ok := a.(*ssa.MakeClosure); ok && mc.Fn == body {
					fr.enter(instr, body, nil, mc.Bindings, fl, deferred)
				}
			}
			return
		}
		// A callback handed down by a caller (or the goroutine's
		// spawner): walk the function it is known to be.
		if fv := fr.funcValue(c.Value, 0); fv != nil {
			fr.enterValue(instr, fv, c.Args, fl, deferred)
		}
		return
	}
	if httpRoundTrip(callee) || httpServes(callee) {
		// Handlers run only once serving starts and a request comes.
		fr.c.events = append(fr.c.events, event{kind: goroutines.EvClose, key: httpServeKey, top: fr.topOf(instr), instr: instr, exit: fr.atExit(deferred), late: fr.isLate(deferred), capacity: -1})
	}
	if httpRoundTrip(callee) {
		// The response arrives after the handler that served it ran:
		// the race detector orders the two through the connection's
		// I/O, and so does this check (httpServed's release).
		fr.c.events = append(fr.c.events, event{kind: goroutines.EvWait, key: httpIOKey, top: fr.topOf(instr), instr: instr, exit: fr.atExit(deferred), late: fr.isLate(deferred)})
	}
	op := syncapi.Func(callee)
	switch op.Kind {
	case syncapi.WaitGroupDone:
		fr.event(goroutines.EvDone, c.Args[0], instr, deferred)
		return
	case syncapi.WaitGroupWait, syncapi.GroupWait:
		fr.event(goroutines.EvWait, c.Args[0], instr, deferred)
		return
	case syncapi.CondWait:
		fr.event(goroutines.EvCondWait, c.Args[0], instr, deferred)
		return
	case syncapi.CondSignal, syncapi.CondBroadcast:
		fr.event(goroutines.EvCondWake, c.Args[0], instr, deferred)
		return
	case syncapi.TimerReset, syncapi.TickerReset:
		// The timer fires after Reset: like a send on its channel C
		// (an AfterFunc timer receives from it when its function
		// starts). When the timer was stopped first, only what follows
		// the Stop is ordered: before it, the timer may have fired.
		if p, ok := fr.resolve(c.Args[0]); ok {
			ev := event{kind: goroutines.EvSend, key: p.key + ".C*", top: fr.topOf(instr), instr: instr, exit: fr.atExit(deferred), late: fr.isLate(deferred), capacity: -1}
			ev.since = fr.stopBefore(instr, p.key)
			fr.c.events = append(fr.c.events, ev)
		}
		return
	case syncapi.SynctestWait:
		// Every other goroutine of the bubble is durably blocked: what
		// they did happens before Wait returns.
		fr.c.events = append(fr.c.events, event{kind: evBarrier, top: fr.topOf(instr), instr: instr, exit: fr.exit, late: fr.late})
		return
	case syncapi.OnceDo:
		if f, binds := ssax.FuncOf(c.Args[1]); f != nil {
			fr.enter(instr, f, nil, binds, fl, deferred, onceLock)
		}
		return
	}
	if op.Type == syncapi.Mutex || op.Type == syncapi.RWMutex {
		switch {
		case op.Release():
			// Unlocking a mutex this function did not lock (or read
			// lock) hands it off to the goroutine that locks it next.
			if l, ok := fr.c.st.locks.Lookup(fr.fn, c.Args[0]); ok {
				held := false
				for _, h := range fl.MayHeld(instr) {
					if h.Key == l.Key {
						held = true
					}
				}
				if !held {
					fr.event(evHandoff, c.Args[0], instr, deferred)
				}
			}
			return
		case op.Acquire():
			fr.event(evLock, c.Args[0], instr, deferred)
			return
		}
	}
	if atomicCall(callee, op) {
		if len(c.Args) > 0 {
			if p, ok := fr.resolve(c.Args[0]); ok {
				fr.c.st.atomicKeys[p.key] = true
				if callee.Signature.Recv() == nil {
					n := len(fr.c.accesses)
					fr.add(p, op.Kind != syncapi.AtomicLoad, instr, fl)
					if len(fr.c.accesses) > n {
						fr.c.accesses[n].atomic = true
					}
				}
			}
			fr.event(goroutines.EvAtomic, c.Args[0], instr, deferred)
		}
		return
	}
	if v := op.FuncArg(c); v != nil && op.Run == syncapi.Before {
		// The callee calls its function argument before returning.
		if fv := fr.funcValue(v, 0); fv != nil {
			fr.enterValue(instr, fv, nil, fl, deferred)
		}
	}
	if o := ssax.Origin(callee); callee.Pkg != fr.c.st.ssa.Pkg && o.Pkg != fr.c.st.ssa.Pkg && (o.Synthetic == "" || o.Blocks == nil) {
		// A function of another package, built from export data
		// without a body: its Accesses fact stands for it. The
		// standard library synchronises its internals itself.
		if o.Pkg != nil && !ssax.IsStd(o.Pkg.Pkg.Path()) {
			fr.applySummary(instr, callee, c.Args, fl, deferred)
		}
		return
	}
	f, binds := ssax.FuncOf(c.Value)
	if f == nil {
		f = callee
	}
	fr.enter(instr, f, c.Args, binds, fl, deferred)
}

// enter walks callee f in a new frame whose parameters and free variables
// are bound to the caller's paths.
func (fr *frame) enter(instr ssa.Instruction, f *ssa.Function, args, binds []ssa.Value, fl *lockset.FuncLocks, deferred bool, extra ...lockset.Lock) {
	if f.Blocks == nil || fr.depth >= maxDepth || fr.c.steps > maxSteps {
		return // a call tree too wide to follow: what is left unseen is not reported
	}
	env := map[ssa.Value]path{}
	for i, p := range f.Params {
		if i < len(args) {
			if ap, ok := fr.resolve(args[i]); ok {
				env[p] = ap
			} else {
				env[p] = path{}
			}
		}
	}
	for i, fv := range f.FreeVars {
		if i < len(binds) {
			if bp, ok := fr.resolve(binds[i]); ok {
				env[fv] = bp
			} else {
				env[fv] = path{}
			}
		}
	}
	locks := fr.heldAt(instr, fl)
	locks = append(locks, extra...)
	locks = append(locks, fr.customLocks(instr)...)
	sub := &frame{c: fr.c, fn: f, env: env, locks: locks, top: fr.topOf(instr), exit: fr.atExit(deferred), late: fr.isLate(deferred), depth: fr.depth + depthCost(f), goEntry: fr.goEntry}
	sub.live = ssax.LiveBlocks(f, args)
	fr.bindFuncs(sub, f, args, binds)
	sub.walk()
}

// depthCost is what entering f adds to the call depth: nothing for a
// function that only forwards to one call (a synthetic wrapper for a
// bound method or thunk, an exported method calling its unexported
// twin), since it does not widen the walk.
func depthCost(f *ssa.Function) int {
	if f.Synthetic != "" {
		return 0
	}
	if len(f.Blocks) != 1 {
		return 1
	}
	calls := 0
	for _, instr := range f.Blocks[0].Instrs {
		if _, ok := instr.(ssa.CallInstruction); ok {
			calls++
		}
	}
	if calls == 1 {
		return 0
	}
	return 1
}

// atomicCall reports whether a call of callee, classified as op, is a
// sync/atomic operation: a function of the package or a method of one
// of its types (not a wrapper promoting it from a struct that embeds
// one, whose receiver is the struct).
func atomicCall(callee *ssa.Function, op syncapi.Op) bool {
	recv := callee.Signature.Recv()
	return op.Atomic() && (recv == nil || syncapi.IsAtomicType(recv.Type()))
}

// ignoredLoc reports whether accesses to loc are never reported: memory
// also accessed atomically, or the internals of sync types.
func (st *state) ignoredLoc(loc path) bool {
	return strings.Contains(loc.key, "{}{}")
}

// startsServing reports whether fn, or a function of its package that
// it calls (a few calls deep), starts serving HTTP requests.
func startsServing(fn *ssa.Function, depth int) bool {
	if fn == nil || depth > 3 {
		return false
	}
	if httpServes(fn) {
		return true
	}
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			call, ok := in.(*ssa.Call)
			if !ok {
				continue
			}
			callee := call.Call.StaticCallee()
			if callee == nil {
				continue
			}
			if httpServes(callee) || callee.Pkg == fn.Pkg && callee != fn && startsServing(callee, depth+1) {
				return true
			}
		}
	}
	return false
}
