package sharedaccess

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/lockset"
)

// freshInit reports whether instr, a write to the field at addr or to
// its contents, only fills in a value made on the spot where the field
// was found nil: t.m = make(...) or &T{...} under if t.m == nil, and
// the writes into the new map after it. A first error latched under
// the same check (if t.err == nil { t.err = err }) is a mutation.
func freshInit(instr ssa.Instruction, addr ssa.Value) bool {
	if !nilChecked(instr, addr) {
		return false
	}
	st, ok := instr.(*ssa.Store)
	if !ok || st.Addr != addr {
		return true // the contents of the value just made
	}
	switch st.Val.(type) {
	case *ssa.MakeMap, *ssa.MakeChan, *ssa.MakeSlice, *ssa.Alloc:
		return true
	}
	return false
}

// headerOnly reports whether instr loads a slice or map field only to
// compare it with nil, or a slice field only for its len or cap: it
// reads none of the elements.
func headerOnly(instr ssa.Instruction) bool {
	ld, ok := instr.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL || ld.Referrers() == nil {
		return false
	}
	_, isSlice := ld.Type().Underlying().(*types.Slice)
	_, isMap := ld.Type().Underlying().(*types.Map)
	if !isSlice && !isMap {
		return false
	}
	for _, r := range *ld.Referrers() {
		switch r := r.(type) {
		case *ssa.BinOp:
			x := r.X
			if x == ld {
				x = r.Y
			}
			if k, ok := x.(*ssa.Const); !ok || !k.IsNil() || r.Op != token.EQL && r.Op != token.NEQ {
				return false
			}
		case *ssa.Call:
			b, ok := r.Call.Value.(*ssa.Builtin)
			if !ok || !isSlice || b.Name() != "len" && b.Name() != "cap" {
				return false
			}
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}

// singleOwner reports whether field belongs to a struct type of this
// package whose documentation says it is not safe for concurrent use
// ("not thread-safe", "not safe for concurrent use"): its users own
// each value, and a lock or atomic in some of its methods does not make
// the others concurrent entry points.
func (st *state) singleOwner(field *types.Var) bool {
	if field == nil {
		return false
	}
	if st.unsafeTypes == nil {
		st.unsafeTypes = map[*types.Var]bool{}
		for _, f := range st.pass.Files {
			for _, d := range f.Decls {
				gd, ok := d.(*ast.GenDecl)
				if !ok || gd.Tok != token.TYPE {
					continue
				}
				for _, spec := range gd.Specs {
					ts := spec.(*ast.TypeSpec)
					doc := ts.Doc
					if doc == nil && len(gd.Specs) == 1 {
						doc = gd.Doc
					}
					if doc == nil || !notConcurrencySafe(doc.Text()) {
						continue
					}
					tn, ok := st.pass.TypesInfo.Defs[ts.Name].(*types.TypeName)
					if !ok {
						continue
					}
					if str, ok := tn.Type().Underlying().(*types.Struct); ok {
						for i := 0; i < str.NumFields(); i++ {
							st.unsafeTypes[str.Field(i)] = true
						}
					}
				}
			}
		}
	}
	return st.unsafeTypes[field.Origin()]
}

// notConcurrencySafe reports whether a doc comment says that its type
// is not safe for concurrent use.
func notConcurrencySafe(doc string) bool {
	d := strings.ToLower(strings.Join(strings.Fields(doc), " "))
	for _, p := range []string{"not thread-safe", "not thread safe", "not threadsafe", "not goroutine-safe", "not goroutine safe",
		"not concurrency-safe", "not concurrency safe", "not safe for concurrent", "not safe to use concurrently",
		"not safe for use by multiple goroutines", "must not be used concurrently", "is not synchronized", "not safe for simultaneous"} {
		if strings.Contains(d, p) {
			return true
		}
	}
	return false
}

// apiEntry reports whether fn can be called by any goroutine of a
// client: an exported function, or an exported method of an exported
// type. Unexported helpers are assumed to follow the package's protocol.
func apiEntry(fn *ssa.Function) bool {
	if fn.Parent() != nil {
		return false
	}
	fn = ssax.Origin(fn)
	if !ast.IsExported(fn.Name()) {
		return false
	}
	recv := fn.Signature.Recv()
	if recv == nil {
		return true
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Exported()
}

// afterTake reports whether, before u, its function takes and releases
// the guard (directly or in a callee): a lazy initialisation, or a check
// under the lock, that publishes the field to the reader. Unless that
// section looks at the field itself, a field that the package's own
// goroutines change under the lock is not published by it (read after
// the Unlock, a sweeper's counter is a race).
func (st *state) afterTake(u *faccess, guard string, accs []*faccess) bool {
	fl := st.locks.Func(u.fn)
	took := false
	for _, ev := range fl.Events() {
		if ev.Kind != lockset.Take && ev.Kind != lockset.Release || !sameLockClass(ev.Lock.Class, guard) {
			continue
		}
		if !st.reach.dominates(ev.Instr, u.instr, false) {
			continue
		}
		if c, ok := ev.Instr.(*ssa.Call); ok {
			if callee := c.Call.StaticCallee(); callee != nil && callee.Pkg == u.fn.Pkg {
				return true // a helper of the package took it: what it looked at is not in view here
			}
		}
		took = true
	}
	if !took {
		return false
	}
	for _, a := range accs {
		if a != u && a.fn == u.fn && a.holds(guard, false) && st.reach.dominates(a.instr, u.instr, false) {
			return true
		}
	}
	// A section that only looked at other fields still publishes this
	// one when it was written together with them, once (a Start that
	// sets runner and doneCtx under the lock; Kill checks runner, then
	// uses doneCtx). A field that the package's own goroutines keep
	// changing under the lock (a sweeper's counter) is not published
	// by an earlier section.
	for _, a := range accs {
		if a.write && a.holds(guard, false) && st.runByGoroutine(a.fn) {
			return false
		}
	}
	return true
}

// runByGoroutine reports whether fn is started as a goroutine of the
// package or called from one through unexported functions (a sweeper's
// step, a read loop's message handling). A test's goroutines, or any
// goroutine reaching fn through the exported API, are the users'
// concurrency, not the package's own machinery: they do not count.
func (st *state) runByGoroutine(fn *ssa.Function) bool {
	fn = ssax.Origin(fn)
	if v, ok := st.goroutineRun[fn]; ok {
		return v
	}
	// Breadth first up the static callers, six levels at most.
	seen := map[*ssa.Function]bool{fn: true}
	level := []*ssa.Function{fn}
	found := false
	for depth := 0; depth <= 6 && len(level) > 0 && !found; depth++ {
		var next []*ssa.Function
		for _, f := range level {
			if st.inTest(f) {
				continue
			}
			if st.spawnEntry(f) {
				found = true
				break
			}
			if depth > 0 && apiEntry(f) {
				// An exported function between the goroutine and the
				// write is the API, called by its users' goroutines
				// (a helper that restarts many objects at once), not
				// the package's own machinery.
				continue
			}
			callers, _ := st.callersOf(f)
			for _, c := range callers {
				if !seen[c] {
					seen[c] = true
					next = append(next, c)
				}
			}
		}
		level = next
	}
	if st.goroutineRun == nil {
		st.goroutineRun = map[*ssa.Function]bool{}
	}
	st.goroutineRun[fn] = found
	return found
}

// onceOnly reports whether every write to the field happens in a
// function run by sync.Once (or called from one).
func (st *state) onceOnly(accs []*faccess) bool {
	if st.onceFuncs == nil {
		st.onceFuncs = map[*ssa.Function]bool{}
		var mark func(f *ssa.Function, d int)
		mark = func(f *ssa.Function, d int) {
			if f == nil || d > 3 || st.onceFuncs[f] {
				return
			}
			st.onceFuncs[f] = true
			for _, b := range f.Blocks {
				for _, instr := range b.Instrs {
					if c, ok := instr.(*ssa.Call); ok {
						if callee, _ := ssax.FuncOf(c.Call.Value); callee != nil {
							mark(callee, d+1)
						}
					}
				}
			}
		}
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
					case syncapi.OnceDo, syncapi.OnceFunc:
						for _, a := range c.Call.Args {
							if f, _ := ssax.FuncOf(a); f != nil {
								mark(f, 0)
							}
						}
					}
				}
			}
		}
	}
	writes := 0
	for _, a := range accs {
		if a.write {
			writes++
			if !st.onceFuncs[a.fn] {
				return false
			}
		}
	}
	return writes > 0
}

// startName reports whether a method's name says it sets its object
// up before use.
func startName(name string) bool {
	return syncapi.Named(name, syncapi.Setup)
}

// teardownReset reports whether u clears the field to its zero value in a
// Stop/Close-like method, which runs after the users of the field are
// shut down.
func teardownReset(u *faccess) bool {
	st, ok := u.instr.(*ssa.Store)
	if !ok || !u.write {
		return false
	}
	c, ok := st.Val.(*ssa.Const)
	if !ok || !zeroConst(c) {
		return false
	}
	return syncapi.Named(ssax.Origin(u.fn).Name(), syncapi.Teardown)
}

// initBeforeStart reports whether u stores a freshly made value (a map,
// channel, slice or new object) into the field in a function that then
// starts a goroutine with a go statement on every path from the store:
// a Start method setting up the state its goroutines will share under
// the lock. The go statement publishes the value to them. A method
// named Start, Init, Setup or Open counts without the go statement: by
// its name it runs before the object is used.
func (st *state) initBeforeStart(u *faccess) bool {
	store, ok := u.instr.(*ssa.Store)
	if !ok || !u.write || u.elem {
		return false
	}
	switch store.Val.(type) {
	case *ssa.MakeMap, *ssa.MakeChan, *ssa.MakeSlice, *ssa.Alloc:
	default:
		return false
	}
	if u.fn.Parent() == nil && startName(ssax.Origin(u.fn).Name()) && !st.g.InLoop(store.Block()) {
		// Start, Init, Setup, Open: the method that makes the object's
		// state before its other methods run (rafthttp's Transport.Start
		// making the peer maps that later methods change under the lock).
		return true
	}
	for _, b := range u.fn.Blocks {
		for _, instr := range b.Instrs {
			if g, isGo := instr.(*ssa.Go); isGo && st.reach.dominates(store, g, false) {
				return true
			}
		}
	}
	return false
}

// afterJoin reports whether u, a read, runs after a join on every path
// to it: a call of a method named Wait (sync.WaitGroup's, errgroup's, or
// a pool's own, which joins its workers) in a block that dominates it.
// Collecting what the workers wrote after waiting for them is ordered
// by the join, whatever lock the workers wrote under.
func afterJoin(u *faccess) bool {
	if u.write {
		return false
	}
	b := u.instr.Block()
	for d := b; d != nil; d = d.Idom() {
		for _, in := range d.Instrs {
			if d == b && in == u.instr {
				break
			}
			call, ok := in.(*ssa.Call)
			if !ok {
				continue
			}
			var name string
			if call.Call.IsInvoke() {
				name = call.Call.Method.Name()
			} else if callee := call.Call.StaticCallee(); callee != nil {
				name = callee.Name()
			}
			if name == "Wait" && call.Call.Signature().Params().Len() == 0 {
				return true
			}
		}
	}
	return false
}

// zeroConst reports whether c is its type's zero value: nil, 0, false,
// "" or a zero struct or array.
func zeroConst(c *ssa.Const) bool {
	if c.Value == nil {
		return true // nil, or the zero value of a struct or array
	}
	switch c.Value.Kind() {
	case constant.Bool:
		return !constant.BoolVal(c.Value)
	case constant.String:
		return constant.StringVal(c.Value) == ""
	case constant.Int, constant.Float, constant.Complex:
		return constant.Sign(c.Value) == 0
	}
	return false
}

// entryPoint reports whether fn may be called by several goroutines
// without a protocol the analysis cannot see: an API entry, a method or
// function of a main package, or a named function that runs on a
// goroutine this package starts.
func (st *state) entryPoint(fn *ssa.Function) bool {
	if apiEntry(fn) {
		return true
	}
	if fn.Parent() != nil {
		return false
	}
	return st.pass.Pkg.Name() == "main" || st.spawnEntry(fn)
}

// spawnEntry reports whether fn is started directly as a goroutine.
func (st *state) spawnEntry(fn *ssa.Function) bool {
	for _, s := range st.g.Spawns {
		if s.Entry != nil && ssax.Origin(s.Entry) == ssax.Origin(fn) {
			return true
		}
	}
	return false
}

// rootOf follows field selections, loads of them and conversions back
// to the value a field path starts from.
func rootOf(v ssa.Value) ssa.Value {
	for i := 0; i < 16; i++ {
		switch x := v.(type) {
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			return v
		}
	}
	return v
}

// fresh reports whether the access is to an object that its function
// made itself (an allocation, or the result of a constructor call) and
// has not yet published when the access runs: no other goroutine can
// see it, so the locks held there say nothing about how the type's
// shared values are guarded.
func (st *state) fresh(a *faccess) bool {
	if a.root == nil || a.instr == nil || !st.madeHere(a.root) {
		return false
	}
	p := st.publishOf(a.root)
	return p.ok && ssax.NoneBefore(p.points, a.instr)
}

// madeHere reports whether v is an object its function made: a heap
// allocation or the result of a constructor (ssax.FreshResult).
func (st *state) madeHere(v ssa.Value) bool {
	switch r := v.(type) {
	case *ssa.Alloc:
		return r.Heap
	case *ssa.Call:
		callee := r.Call.StaticCallee()
		if callee == nil {
			return false
		}
		ok, seen := st.ctors[callee]
		if !seen {
			ok = ssax.FreshResult(callee)
			st.ctors[callee] = ok
		}
		return ok
	}
	return false
}

// publishOf returns v's publication points, memoized.
func (st *state) publishOf(v ssa.Value) publishPoints {
	p, seen := st.publish[v]
	if !seen {
		p.points, p.ok = ssax.PublishPointsOf(v)
		st.publish[v] = p
	}
	return p
}

// publishPoints memoizes ssax.PublishPointsOf for a value.
type publishPoints struct {
	points []ssa.Instruction
	ok     bool
}

// writtenToStart reports whether u, a read, conflicts only with writes
// made while starting the object: every write of the field in the
// package lies in an exported function or method that goes on to start
// goroutines (a go statement may follow the write),
// that no goroutine of the package runs and that is not passed around
// as a value. A Start method that fills in the workers it launches is
// called by the object's owner before the rest of its API, as a
// constructor is; a field rewritten by the package's own goroutines (a
// reconnect loop) gets no such pass.
func (st *state) writtenToStart(u *faccess, accs []*faccess) bool {
	if u.write {
		return false
	}
	n := 0
	for _, a := range accs {
		if !a.write || st.fresh(a) {
			continue
		}
		if !st.startingWrite(a) {
			return false
		}
		n++
	}
	return n > 0
}

// startingWrite reports whether write a is in a starting function (see
// writtenToStart) and comes before one of its spawns.
func (st *state) startingWrite(a *faccess) bool {
	fn := a.fn
	if !apiEntry(fn) || st.spawnEntry(fn) {
		return false
	}
	callers, direct := st.callersOf(ssax.Origin(fn))
	if !direct {
		return false
	}
	for _, c := range callers {
		if st.spawnEntry(c) {
			return false
		}
	}
	for _, s := range st.g.Spawns {
		if s.Site != nil && s.Parent == fn && st.reach.after(a.instr, s.Site) {
			return true
		}
	}
	return false
}

// setupOnFresh reports whether u's function, an unexported function or
// method of the package (or any function of a main package) reached
// only by static calls, runs only on objects that are not shared yet:
// at every call site the object u's field path starts from is one the
// caller has just made (an allocation or a constructor's result) and
// has not handed to anyone before the call (store := newStore();
// store.load(path)). The access then happens before other goroutines
// can reach the object, like an access in the constructor itself.
func (st *state) setupOnFresh(u *faccess) bool {
	p, ok := u.root.(*ssa.Parameter)
	fn := u.fn
	if !ok || fn.Parent() != nil || p.Parent() != fn || st.spawnEntry(fn) {
		return false
	}
	if apiEntry(fn) && st.pass.Pkg.Name() != "main" {
		return false
	}
	idx := -1
	for i, q := range fn.Params {
		if q == p {
			idx = i
		}
	}
	callers, direct := st.callersOf(ssax.Origin(fn))
	if idx < 0 || !direct || len(callers) == 0 {
		return false
	}
	sites := 0
	seen := map[*ssa.Function]bool{}
	for _, caller := range callers {
		if seen[caller] {
			continue
		}
		seen[caller] = true
		for _, b := range caller.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(*ssa.Call)
				if !ok || call.Call.IsInvoke() {
					continue
				}
				callee := call.Call.StaticCallee()
				if callee == nil || ssax.Origin(callee) != ssax.Origin(fn) {
					continue
				}
				if idx >= len(call.Call.Args) || !st.freshArg(rootOf(call.Call.Args[idx]), call) {
					return false
				}
				sites++
			}
		}
	}
	return sites > 0
}

// freshArg reports whether v, an argument of the call at, is a fresh
// object (freshAt), directly or as a load of a variable that closures
// capture: a heap cell stored once with a fresh object, whose loads
// publish it nowhere before at and which no closure captures before at.
func (st *state) freshArg(v ssa.Value, at ssa.Instruction) bool {
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return st.freshAt(v, at, nil)
	}
	cell, ok := load.X.(*ssa.Alloc)
	if !ok || !cell.Heap {
		return false
	}
	var store *ssa.Store
	var loads []ssa.Value
	for _, r := range *cell.Referrers() {
		switch u := r.(type) {
		case *ssa.Store:
			if u.Addr != cell || store != nil {
				return false
			}
			store = u
		case *ssa.UnOp:
			loads = append(loads, u)
		case *ssa.DebugRef:
		default:
			if ssax.RunsBefore(u, at) {
				return false // captured before the call
			}
		}
	}
	if store == nil || !st.freshAt(store.Val, at, store) {
		return false
	}
	for _, l := range loads {
		if l != v && !st.freshPoints(l, at, nil) {
			return false
		}
	}
	return true
}

// freshAt reports whether v is an object its function made (a heap
// allocation or a constructor's result) and published nowhere before
// the call at (the call itself, which hands v to the helper being
// judged, does not count, nor does skip).
func (st *state) freshAt(v ssa.Value, at, skip ssa.Instruction) bool {
	return st.madeHere(v) && st.freshPoints(v, at, skip)
}

// freshPoints reports whether v is published nowhere before at, apart
// from at itself and skip.
func (st *state) freshPoints(v ssa.Value, at, skip ssa.Instruction) bool {
	p := st.publishOf(v)
	if !p.ok {
		return false
	}
	for _, pt := range p.points {
		if pt != at && pt != skip && ssax.RunsBefore(pt, at) {
			return false
		}
	}
	return true
}
