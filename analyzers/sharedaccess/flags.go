package sharedaccess

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/goroutines"
)

// flagGated reports whether the write w can only happen before the
// access r, by a one-way flag under a lock: w runs only where a test of
// a boolean field (closed, shutdown) found it false, under a lock held
// from the test to the write, and r's function sets that flag to true
// under a lock of the same class on every path before r; nothing in the
// package ever sets it back. Every write then ran in a critical section
// that ended before the one that set the flag, which happens before r:
//
//	func (s *S) init()  { s.mu.Lock(); if !s.closed { s.done = make(chan int) }; s.mu.Unlock() }
//	func (s *S) Close() { s.mu.Lock(); s.closed = true; s.mu.Unlock(); use(s.done) }
func (st *state) flagGated(w, r *access) bool {
	if !w.write || w.instr == nil || r.instr == nil || len(w.locks) == 0 {
		return false
	}
	for _, f := range falseFlagTests(w.instr) {
		if !st.oneWayFlag(f) {
			continue
		}
		for _, in := range []ssa.Instruction{r.instr, r.top} {
			if in != nil && st.setsFlagBefore(f, in, w) {
				return true
			}
		}
	}
	return false
}

// falseFlagTests returns the boolean fields whose test dominates instr
// on the side where the field is false.
func falseFlagTests(instr ssa.Instruction) []*types.Var {
	var out []*types.Var
	fn := instr.Parent()
	for _, b := range fn.Blocks {
		br, ok := ssax.BranchOf(b)
		if !ok {
			continue
		}
		_, fa := ssax.FieldLoad(br.Cond)
		if fa == nil || !br.OnFalse.Dominates(instr.Block()) || len(br.OnFalse.Preds) != 1 {
			continue
		}
		if f := ssax.FieldOf(fa); f != nil {
			out = append(out, f)
		}
	}
	return out
}

// oneWayFlag reports whether every store to the boolean field f in the
// package stores the constant true, apart from the stores of a teardown
// method (Shutdown, Close, Reset), after which the object starts anew:
// races across a restart are not followed.
func (st *state) oneWayFlag(f *types.Var) bool {
	if v, ok := st.flagOneWay[f]; ok {
		return v
	}
	ok := f.Pkg() == st.pass.Pkg && !f.Exported()
	if ok {
		for _, fn := range st.ssa.SrcFuncs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					s, isStore := instr.(*ssa.Store)
					if !isStore {
						continue
					}
					fa, isField := s.Addr.(*ssa.FieldAddr)
					if !isField || ssax.FieldOf(fa) != f {
						continue
					}
					if !ssax.IsTrue(s.Val) && !syncapi.Named(topFunc(fn).Name(), syncapi.Teardown) {
						ok = false
					}
				}
			}
		}
	}
	st.flagOneWay[f] = ok
	return ok
}

// setsFlagBefore reports whether instr's function stores true to flag f,
// holding a lock of a class that w holds, on every path before instr.
func (st *state) setsFlagBefore(f *types.Var, instr ssa.Instruction, w *access) bool {
	fn := instr.Parent()
	fl := st.locks.Func(fn)
	if fl == nil {
		return false
	}
	for _, b := range fn.Blocks {
		for i, in := range b.Instrs {
			s, ok := in.(*ssa.Store)
			if !ok || !ssax.IsTrue(s.Val) {
				continue
			}
			fa, ok := s.Addr.(*ssa.FieldAddr)
			if !ok || ssax.FieldOf(fa) != f {
				continue
			}
			before := b == instr.Block() && i < ssax.IndexOf(instr) || b != instr.Block() && b.Dominates(instr.Block())
			if !before {
				continue
			}
			for _, h := range fl.MustHeld(s) {
				for _, l := range w.locks {
					if h.Class == l.Class && !h.Unknown {
						return true
					}
				}
			}
		}
	}
	return false
}

// handedOffThenReplaced reports whether the goroutine of s got the
// object behind a's path as an argument of its go statement, a value
// loaded from a field (go build(w.builder)), and its starter stores a
// new value into that field on every path after the go statement,
// before b runs: the goroutine works on the old object, b on the new
// one (a builder handed to a flusher, then replaced).
func (st *state) handedOffThenReplaced(g *ssa.Go, a, b *access) bool {
	if b.top == nil || g == nil {
		return false
	}
	for _, arg := range g.Call.Args {
		load, ok := arg.(*ssa.UnOp)
		if !ok || load.Op != token.MUL {
			continue
		}
		fa, ok := load.X.(*ssa.FieldAddr)
		if !ok {
			continue
		}
		// Names compare without their root, which a caller spells its
		// own way: w.builder in the starter, x.builder in its caller.
		name := rootless(exprName(fa, 0))
		if name == "" || strings.Contains(name, "_") || !strings.HasPrefix(rootless(a.loc.name), name+".") || !strings.HasPrefix(rootless(b.loc.name), name+".") {
			continue
		}
		isStore := func(in ssa.Instruction) bool {
			st, ok := in.(*ssa.Store)
			if !ok {
				return false
			}
			return ok && ssax.SameLocation(st.Addr, fa)
		}
		isReturn := func(in ssa.Instruction) bool { _, ok := in.(*ssa.Return); return ok }
		start := ssax.IndexOf(g) + 1
		if ssax.ReachesAvoiding(g.Block(), start, isReturn, isStore) {
			continue // some path returns with the old object still there
		}
		if b.top.Parent() == g.Parent() && ssax.ReachesAvoiding(g.Block(), start, func(in ssa.Instruction) bool { return in == b.top }, isStore) {
			continue // b may run before the replacement
		}
		return true
	}
	return false
}

// handOffGo returns the go statement whose arguments handedOffThenReplaced
// examines for spawn s: its own, or for a goroutine left running by a
// callee, the callee's go statement.
func handOffGo(s *goroutines.Spawn) *ssa.Go {
	g, ok := s.Site.(*ssa.Go)
	if !ok && s.Kind == kindCall {
		if c, isCall := s.Site.(*ssa.Call); isCall {
			g = goStmtAt(c.Call.StaticCallee(), s.Pos)
		}
	}
	return g
}

// goStmtAt returns the go statement of fn at pos, or nil.
func goStmtAt(fn *ssa.Function, pos token.Pos) *ssa.Go {
	if fn == nil {
		return nil
	}
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if g, ok := in.(*ssa.Go); ok && g.Pos() == pos {
				return g
			}
		}
	}
	return nil
}

// rootless drops the root variable of a Go expression: "w.builder.keys"
// becomes ".builder.keys"; "" when there is no selection.
func rootless(name string) string {
	i := strings.IndexByte(name, '.')
	if i < 0 {
		return ""
	}
	return name[i:]
}

// flagGatedRead reports whether every write of the field (accs) is gated
// by a one-way flag that u's function sets under the lock before the
// read u (flagGated): a Close that sets closed under the lock, then uses
// a field that only code checking closed under the lock writes.
func (st *state) flagGatedRead(u *faccess, accs []*faccess) bool {
	if u.write {
		return false
	}
	r := &access{instr: u.instr}
	n := 0
	for _, a := range accs {
		if !a.write || st.fresh(a) || !st.inTest(u.fn) && st.inTest(a.fn) {
			continue // a test's set-up of the object is not the package's protocol
		}
		if !st.flagGated(&access{write: true, instr: a.instr, locks: a.must}, r) {
			return false
		}
		n++
	}
	return n > 0
}

// onceBeforeSpawn reports whether the write w runs at most once per
// object, before the go statement site that started the goroutine: w's
// function sets the object up behind a test of a one-way flag, under a
// lock, then sets the flag and starts the goroutine,
//
//	func (s *S) Write(b []byte) { s.mu.Lock(); if !s.initialized { s.initialize() }; ... }
//	func (s *S) initialize()    { s.done = make(chan struct{}); s.initialized = true; go s.loop() }
//
// Once the goroutine runs, the flag is set and no later call reaches w
// (zap's BufferedWriteSyncer). The flag test may be in w's function or
// at every call site of it.
func (st *state) onceBeforeSpawn(w *access, site ssa.Instruction) bool {
	if !w.write || w.instr == nil || site == nil || len(w.locks) == 0 {
		return false
	}
	fn := w.instr.Parent()
	if site.Parent() != fn || !ssax.Dominates(w.instr, site) {
		return false
	}
	for _, f := range append(falseFlagTests(w.instr), st.callSiteFlags(fn)...) {
		if st.oneWayFlag(f) && setsTrueBefore(fn, f, site) {
			return true
		}
	}
	return false
}

// callSiteFlags returns the boolean fields whose test finds them false
// on the way to every call of fn, an unexported function that the
// package only calls.
func (st *state) callSiteFlags(fn *ssa.Function) []*types.Var {
	if flags, ok := st.siteFlags[fn]; ok {
		return flags
	}
	if st.siteFlags == nil {
		st.siteFlags = map[*ssa.Function][]*types.Var{}
	}
	flags := st.callSiteFlagsScan(fn)
	st.siteFlags[fn] = flags
	return flags
}

func (st *state) callSiteFlagsScan(fn *ssa.Function) []*types.Var {
	if fn.Parent() != nil || fn.Object() == nil || fn.Object().Exported() {
		return nil
	}
	if _, ok := st.callersOf(fn); !ok {
		return nil // used as a value: called from anywhere
	}
	var common []*types.Var
	calls := 0
	for _, f := range st.ssa.SrcFuncs {
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				c, ok := instr.(ssa.CallInstruction)
				if !ok || c.Common().StaticCallee() == nil || ssax.Origin(c.Common().StaticCallee()) != fn {
					continue
				}
				if _, isCall := instr.(*ssa.Call); !isCall {
					return nil // deferred or started: not followed
				}
				flags := falseFlagTests(instr)
				if calls == 0 {
					common = flags
				} else {
					common = slices.DeleteFunc(common, func(v *types.Var) bool { return !slices.Contains(flags, v) })
				}
				calls++
			}
		}
	}
	return common
}

// setsTrueBefore reports whether fn stores true into the boolean field
// f on every path to site.
func setsTrueBefore(fn *ssa.Function, f *types.Var, site ssa.Instruction) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			s, ok := instr.(*ssa.Store)
			if !ok || !ssax.IsTrue(s.Val) {
				continue
			}
			if fa, ok := s.Addr.(*ssa.FieldAddr); ok && ssax.FieldOf(fa) == f && ssax.Dominates(s, site) {
				return true
			}
		}
	}
	return false
}

// topFunc returns the declared function that fn is a literal of, or fn.
func topFunc(fn *ssa.Function) *ssa.Function {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	return ssax.Origin(fn)
}
