package lockset

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
)

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
	ops = append(ops, fa.handleRelease(c)...)
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
	targets, invoke := fa.r.dyn.Callees(c)
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
		if isYield(t) {
			// A range-over-func body: what it leaves acquired or
			// released is applied on the loop's exits (rangefunc.go);
			// here, only what it takes and releases inside.
			for _, ref := range sum.Takes {
				ops = append(ops, op{kind: Take, lock: fa.mapRef(ref, fake, c.Pos()), via: viaOf(name, ref.Via), maybe: ref.Maybe})
			}
			continue
		}
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
	if fv, fn := callbackArg(common); fn != nil {
		// sort.Slice(x, less), slices.SortFunc(x, cmp), ...: the call
		// runs its function argument before it returns.
		sum := fa.r.summary(fn)
		if sum == nil || sum.empty() {
			return nil
		}
		return fa.summaryOps(c, &ssa.CallCommon{Value: fv}, fn, sum)
	}
	sum := fa.r.summary(callee)
	if sum == nil || sum.empty() {
		return nil
	}
	return fa.summaryOps(c, common, callee, sum)
}

// callbackArg returns the function argument of a standard-library call
// that runs it on the caller's goroutine before it returns (sort.Slice,
// slices.SortFunc: syncapi.Callback), and the function it is: a
// function literal (also kept in a variable that closures capture) or a
// named function of the package. Its parameters are the library's
// values, which the caller cannot name.
func callbackArg(common *ssa.CallCommon) (ssa.Value, *ssa.Function) {
	o := syncapi.Func(common.StaticCallee())
	if o.Kind != syncapi.Callback || o.Run != syncapi.Before || o.Func < 0 || o.Func >= len(common.Args) {
		return nil, nil
	}
	fv := common.Args[o.Func]
	if mc := cellClosure(fv); mc != nil {
		fv = mc
	}
	fn, _ := ssax.FuncOf(fv)
	if fn == nil || fn.Synthetic != "" {
		return nil, nil
	}
	return fv, fn
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

// handleRelease returns the releases of a call that ends a handle: a
// method named like End, Close or Commit called on the value that an
// earlier call returned while acquiring a lock for it (txn :=
// s.Write(); ...; txn.End(), where Write read-locks s.mu and End
// unlocks it), when the method itself cannot be resolved to say so.
func (fa *funcAnalysis) handleRelease(c ssa.CallInstruction) []op {
	common := c.Common()
	var recv ssa.Value
	var method string
	switch {
	case common.IsInvoke():
		recv, method = common.Value, common.Method.Name()
	case common.StaticCallee() != nil && common.Signature().Recv() != nil && len(common.Args) > 0:
		if sum := fa.r.summary(common.StaticCallee()); sum != nil && len(sum.Releases) > 0 {
			return nil // the method's own summary says what it releases
		}
		recv, method = common.Args[0], common.StaticCallee().Name()
	default:
		return nil
	}
	if !endsHandle(method) {
		return nil
	}
	made, ok := ssax.Unwrap(recv, ssax.WrapInterface|ssax.WrapExtract).(*ssa.Call)
	if !ok || made == c {
		return nil
	}
	var ops []op
	for _, o := range fa.callOps(made) {
		if o.kind == Acquire {
			ops = append(ops, op{kind: Release, lock: o.lock, via: []string{method}})
		}
	}
	return ops
}

// endsHandle reports whether a method of this name ends what its
// receiver stands for: a transaction, a session, a guard.
func endsHandle(name string) bool {
	return syncapi.Named(name, syncapi.EndsHandle)
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
	live := fa.liveTakes(common, callee)
	for _, ref := range sum.Takes {
		if live != nil && !live[liveKey(ref)] {
			continue // taken only on paths this call's constant arguments rule out
		}
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

// liveTakes returns, for a call of callee (of this package) whose
// constant arguments rule out some of its branches (unsafeCommit(true)
// skipping `if !stop { t.begin() }`), the takes of callee's summary
// that some block the arguments leave live makes (keyed by
// liveKey); nil when the arguments rule out nothing.
func (fa *funcAnalysis) liveTakes(common *ssa.CallCommon, callee *ssa.Function) map[string]bool {
	fl := fa.r.Func(callee)
	if fl == nil || fl.fa == nil || fl.Fn != callee && ssax.Origin(callee) != callee {
		return nil
	}
	hasConst := false // a boolean or nil constant: what LiveBlocks decides branches by
	for _, a := range common.Args {
		if k, ok := a.(*ssa.Const); ok && (k.IsNil() || k.Value != nil && k.Value.Kind() == constant.Bool) {
			hasConst = true
		}
	}
	if !hasConst {
		return nil
	}
	out := map[string]bool{}
	for _, e := range liveEvents(fl, common.Args, 0) {
		out[liveKey(fl.fa.refOf(e.Lock, e.Via))] = true
	}
	return out
}

// liveEvents returns the takes and acquisitions of fl's function made
// in the blocks that a call with args leaves live; a take through a
// call that hands one of those constants on counts only if the callee
// makes it in the blocks the constant leaves live there (commit(stop)
// calling t.commit(stop), whose begin runs only when !stop), a few
// calls deep. It returns every take when args rule out nothing.
func liveEvents(fl *FuncLocks, args []ssa.Value, depth int) []Event {
	live := ssax.LiveBlocks(fl.Fn, args)
	var out []Event
	for _, e := range fl.events {
		if e.Kind != Take && e.Kind != Acquire || e.Instr == nil || live != nil && !live[e.Instr.Block()] {
			continue
		}
		if c, ok := e.Instr.(ssa.CallInstruction); ok && len(e.Via) > 0 && depth < 3 {
			if keys, ok := fl.liveThrough(c, args, depth); ok && !keys[e.Lock.Key] {
				continue
			}
		}
		out = append(out, e)
	}
	return out
}

// liveThrough returns the keys, in fl's terms, of the locks that call c
// of fl's function takes when fl is called with args and c hands some
// of them on as constants; ok is false when it hands on none.
func (fl *FuncLocks) liveThrough(c ssa.CallInstruction, args []ssa.Value, depth int) (map[string]bool, bool) {
	callee := c.Common().StaticCallee()
	if callee == nil {
		return nil, false
	}
	nfl := fl.fa.r.Func(callee)
	if nfl == nil || nfl.fa == nil || nfl == fl {
		return nil, false
	}
	nargs := append([]ssa.Value(nil), c.Common().Args...)
	forwarded := false
	for i, a := range nargs {
		p, ok := a.(*ssa.Parameter)
		if !ok {
			continue
		}
		for j, q := range fl.Fn.Params {
			if q == p && j < len(args) {
				if k, isConst := args[j].(*ssa.Const); isConst && (k.IsNil() || k.Value != nil && k.Value.Kind() == constant.Bool) {
					nargs[i] = k
					forwarded = true
				}
			}
		}
	}
	if !forwarded {
		return nil, false
	}
	keys := map[string]bool{}
	for _, e := range liveEvents(nfl, nargs, depth+1) {
		ref := nfl.fa.refOf(e.Lock, e.Via)
		keys[fl.fa.mapRef(ref, c.Common(), c.Pos()).Key] = true
	}
	return keys, true
}

// liveKey names the lock of a take, without whether it is taken on
// every path.
func liveKey(r LockRef) string {
	r.Maybe = false
	return r.identity()
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
