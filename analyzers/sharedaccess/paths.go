package sharedaccess

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/goroutines"
	"github.com/syncvet/syncvet/passes/lockset"
)

// path names a memory location, or the value stored at one, in terms of
// the values of one root function (the spawner).
type path struct {
	key  string // identity: equal keys denote the same memory
	name string // Go syntax for messages
	// inst reports that the location depends on a value created afresh
	// for each instance of a goroutine (a per-iteration variable, an
	// index computed inside the goroutine): instances do not share it.
	inst bool
	idx  string // for an element: "c:<const>", "v:<key>" or "" when unknown
	def  ssa.Instruction
	// param reports a location reached from a parameter of the root (or
	// a variable holding one): memory the caller handed in.
	param bool
	// idxDef is the spawner's definition of idx's variable when each
	// instance of the goroutine gets its own value (the spawning
	// loop's counter): the element of a later iteration is another.
	idxDef ssa.Instruction
	// window is set for a slice whose bounds the spawner computes per
	// instance of the goroutine (xs[lo:hi] in the loop that starts one
	// goroutine per part): its elements are that instance's partition.
	window string
}

// access is one read or write of a location inside a context.
type access struct {
	loc     path
	write   bool
	instr   ssa.Instruction
	top     ssa.Instruction // the instruction of the context's top function leading to instr
	exit    bool            // runs at the top function's return (deferred)
	goEntry *ssa.Function   // entry of a goroutine started by a callee that makes the access, or nil
	lazy    bool            // a write guarded by a nil check of the same location, of the spawner's own memory or under a lock
	atomic  bool            // a sync/atomic operation
	locks   []lockset.Lock
	fn      *ssa.Function
	// published names the channel whose close the write comes before
	// in another package's function (Access.Closes): a receive from it
	// orders the write.
	published string
}

// event is a happens-before event in a context.
type event struct {
	kind     goroutines.EventKind
	key      string
	typ      string
	top      ssa.Instruction
	instr    ssa.Instruction // the event itself, inside a callee of top
	exit     bool
	buffered bool // a channel made with a constant capacity above zero
	// capacity is the channel's constant capacity, or -1 when unknown.
	capacity int64
	// start marks an acquire made before the context's first
	// instruction (an AfterFunc function waits for its timer).
	start bool
	// since, when set, limits the release to accesses it dominates
	// (a timer's Reset orders only what follows its Stop).
	since ssa.Instruction
	// fills marks a send in a loop bounded by the channel's cap: it
	// fills every slot, so it completes only after every earlier
	// receive (the k-th receive happens before the k+cap-th send).
	fills bool
	// state is the index of the select case, for an event of a select.
	state int
}

// context collects the accesses and events of one goroutine body or of
// the spawner's continuation, with locations named in root terms.
type context struct {
	st       *state
	root     *ssa.Function
	topFn    *ssa.Function
	spawn    *goroutines.Spawn // the spawn whose instances are being told apart, or nil
	accesses []access
	events   []event
	seen     map[*ssa.Function]int
	steps    int // instructions visited, bounded by maxSteps
	// rootEnv names the root function's parameters when they stand
	// for a summary's P#i roots (nil otherwise).
	rootEnv map[ssa.Value]path
	// startsOthers is set when the context starts goroutines of its
	// own (other than the one it is the continuation of), whose
	// channel operations it does not record.
	startsOthers bool
}

// frame is one function being walked inside a context.
type frame struct {
	c     *context
	fn    *ssa.Function
	env   map[ssa.Value]path
	locks []lockset.Lock
	top   ssa.Instruction // nil in the top function
	exit  bool
	depth int
	// filter, when set, admits only the top function's instructions
	// that may run after the spawn.
	filter func(ssa.Instruction) bool
	// live, when set, holds the only blocks of fn that can run: the
	// call passes constant booleans that decide some of its branches
	// (run(..., false) never takes if useTimer { ... }).
	live map[*ssa.BasicBlock]bool
	// parallel, when set, admits only the top function's instructions
	// that may run after its call of t.Parallel: a parallel subtest's
	// code before the call runs inside t.Run, while its parent waits.
	parallel func(ssa.Instruction) bool
	// root is set for a frame of the root function itself, whose values
	// name memory (not for a recursive call of it).
	root bool
	// funcs binds parameters and free variables that hold a known
	// function value (a callback handed down), so that calls of them
	// are walked.
	funcs map[ssa.Value]*fnval
	// dyn binds parameters of interface type to the dynamic type of
	// the value handed down, when the caller knows it.
	dyn map[ssa.Value]types.Type
	// goEntry is the entry of the goroutine a callee started that this
	// frame runs on, or nil.
	goEntry *ssa.Function
}

// fnval is a function value known to a frame: the function and its
// closure bindings named in root terms.
type fnval struct {
	fn    *ssa.Function
	binds []path
	funcs []*fnval // function values among the bindings
}

// funcValue returns the function value v denotes in fr, or nil.
func (fr *frame) funcValue(v ssa.Value, d int) *fnval {
	if d > 3 || v == nil {
		return nil
	}
	if fv, ok := fr.funcs[v]; ok {
		return fv
	}
	switch x := v.(type) {
	case *ssa.ChangeType:
		return fr.funcValue(x.X, d+1)
	case *ssa.UnOp:
		// Loaded from a variable that a closure captures: the
		// function stored there (a pointer stands for its contents).
		if x.Op != token.MUL || !isFuncTyped(x.Type()) {
			return nil
		}
		if fv := fr.funcValue(x.X, d+1); fv != nil {
			return fv
		}
		// A field the spawner filled with a function (s.onDone = f).
		if p, ok := fr.resolve(x.X); ok {
			return fr.c.storedFunc(p.key, d+1)
		}
		return nil
	case *ssa.Alloc:
		return fr.funcValue(storedOnce(x), d+1)
	case *ssa.MakeInterface:
		if _, ok := x.X.Type().Underlying().(*types.Signature); ok {
			return fr.funcValue(x.X, d+1)
		}
		return nil
	}
	f, binds := goroutines.FuncOf(v)
	if f == nil || f.Blocks == nil {
		return nil
	}
	out := &fnval{fn: f, binds: make([]path, len(binds)), funcs: make([]*fnval, len(binds))}
	for i, b := range binds {
		if p, ok := fr.resolve(b); ok {
			out.binds[i] = p
		}
		out.funcs[i] = fr.funcValue(b, d+1)
	}
	return out
}

// concreteType returns the dynamic type of interface value v when fr
// knows it: converted from a concrete value in sight, or handed down.
func (fr *frame) concreteType(v ssa.Value, d int) types.Type {
	if d > 4 || v == nil {
		return nil
	}
	if t, ok := fr.dyn[v]; ok {
		return t
	}
	switch x := v.(type) {
	case *ssa.MakeInterface:
		return x.X.Type()
	case *ssa.ChangeInterface:
		return fr.concreteType(x.X, d+1)
	}
	return nil
}

// implOf returns the method an interface call reaches: that of the
// known dynamic type, or of the only type of this package implementing
// an interface declared in this package.
func (fr *frame) implOf(c *ssa.CallCommon) *ssa.Function {
	st := fr.c.st
	prog := fr.fn.Prog
	t := fr.concreteType(c.Value, 0)
	if t == nil {
		t = st.soleImpl(c.Value.Type())
	}
	if t == nil || c.Method == nil || types.IsInterface(t) {
		return nil // a type parameter's or interface's methods are abstract
	}
	if _, ok := types.Unalias(t).(*types.TypeParam); ok {
		return nil
	}
	if n, ok := types.Unalias(derefType(t)).(*types.Named); ok && n.TypeParams().Len() > 0 {
		return nil
	}
	sel := prog.MethodSets.MethodSet(t).Lookup(c.Method.Pkg(), c.Method.Name())
	if sel == nil {
		return nil
	}
	f := prog.MethodValue(sel)
	if f == nil || f.Blocks == nil {
		return nil
	}
	return f
}

func derefType(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// soleImpl returns the only type declared in this package (T or *T)
// that implements iface, a named interface of this package, or nil.
func (st *state) soleImpl(iface types.Type) types.Type {
	n, ok := types.Unalias(iface).(*types.Named)
	if !ok || !lockset.ClosedInterface(n, st.pass.Pkg, st.pass.Fset) {
		return nil
	}
	it, ok := n.Underlying().(*types.Interface)
	if !ok || it.NumMethods() == 0 {
		return nil
	}
	if t, ok := st.impls[n]; ok {
		return t
	}
	var found types.Type
	count := 0
	scope := st.pass.Pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		named, ok := tn.Type().(*types.Named)
		if !ok || named.TypeParams().Len() > 0 || types.IsInterface(named) {
			continue
		}
		switch {
		case types.Implements(named, it):
			found = named
			count++
		case types.Implements(types.NewPointer(named), it):
			found = types.NewPointer(named)
			count++
		}
	}
	if count != 1 {
		found = nil
	}
	if st.impls == nil {
		st.impls = map[*types.Named]types.Type{}
	}
	st.impls[n] = found
	return found
}

// storedFunc returns the function value the root function stores, in
// its only store, at the location named key, or nil.
func (c *context) storedFunc(key string, d int) *fnval {
	if c.root == nil || d > 3 {
		return nil
	}
	rf := &frame{c: c, fn: c.root, env: map[ssa.Value]path{}, root: true}
	var val ssa.Value
	for _, b := range c.root.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok || !isFuncTyped(st.Val.Type()) {
				continue
			}
			if p, ok := rf.resolve(st.Addr); ok && p.key == key {
				if val != nil {
					return nil
				}
				val = st.Val
			}
		}
	}
	if val == nil {
		return nil
	}
	return rf.funcValue(val, d)
}

// bindFuncs records in sub the function values among a call's
// arguments (bound to f's parameters) and bindings (its free variables).
func (fr *frame) bindFuncs(sub *frame, f *ssa.Function, args, binds []ssa.Value) {
	set := func(k, v ssa.Value) {
		if types.IsInterface(v.Type()) {
			if t := fr.concreteType(v, 0); t != nil {
				if sub.dyn == nil {
					sub.dyn = map[ssa.Value]types.Type{}
				}
				sub.dyn[k] = t
			}
			return
		}
		if !isFuncTyped(v.Type()) {
			return
		}
		if fv := fr.funcValue(v, 0); fv != nil {
			if sub.funcs == nil {
				sub.funcs = map[ssa.Value]*fnval{}
			}
			sub.funcs[k] = fv
		}
	}
	for i, p := range f.Params {
		if i < len(args) {
			set(p, args[i])
		}
	}
	for i, fv := range f.FreeVars {
		if i < len(binds) {
			set(fv, binds[i])
		}
	}
}

// isFuncTyped reports whether t is a function type, or a pointer to one
// (a variable captured by a closure).
func isFuncTyped(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	_, ok := t.Underlying().(*types.Signature)
	return ok
}

// assignedOnce returns the value of a captured variable assigned once,
// where it is declared, and never through a closure: a call result or a
// parameter the spawner also uses directly. Only such values are
// returned, not allocations (the variable itself names those).
func assignedOnce(a *ssa.Alloc) ssa.Value {
	v := storedOnce(a)
	switch v := v.(type) {
	case *ssa.Call, *ssa.Parameter:
	case *ssa.Extract:
		if _, ok := v.Tuple.(*ssa.Call); !ok {
			return nil
		}
	default:
		return nil
	}
	for _, r := range *a.Referrers() {
		mc, ok := r.(*ssa.MakeClosure)
		if !ok {
			continue
		}
		f, ok := mc.Fn.(*ssa.Function)
		if !ok {
			return nil
		}
		for i, b := range mc.Bindings {
			if b != a || i >= len(f.FreeVars) {
				continue
			}
			for _, u := range *f.FreeVars[i].Referrers() {
				if st, ok := u.(*ssa.Store); ok && st.Addr == f.FreeVars[i] {
					return nil
				}
				if _, ok := u.(*ssa.MakeClosure); ok {
					return nil // captured again: not followed
				}
			}
		}
	}
	return v
}

// storedOnce returns the value stored in a local variable that is
// assigned exactly once, or nil.
func storedOnce(a *ssa.Alloc) ssa.Value {
	var val ssa.Value
	for _, r := range *a.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == a {
			if val != nil {
				return nil
			}
			val = st.Val
		}
	}
	return val
}

const maxDepth = 4

// maxSteps bounds the instructions one context visits in callees (a
// recursive visitor with a case per node type, such as go/ast's Walk,
// otherwise multiplies its call sites up to maxDepth).
const maxSteps = 40000

func (fr *frame) isRoot() bool { return fr.root }

// resolve names v in root terms.
func (fr *frame) resolve(v ssa.Value) (path, bool) {
	return fr.resolveDepth(v, 0)
}

func (fr *frame) resolveDepth(v ssa.Value, d int) (path, bool) {
	if d > 12 {
		return path{}, false
	}
	if p, ok := fr.env[v]; ok {
		return p, p.key != ""
	}
	switch v := v.(type) {
	case *ssa.Global:
		pkg := ""
		if v.Pkg != nil {
			pkg = v.Pkg.Pkg.Path()
		}
		return path{key: "g:" + pkg + "." + v.Name(), name: v.Name()}, true
	case *ssa.FieldAddr:
		b, ok := fr.resolveDepth(v.X, d+1)
		if !ok {
			return b, false
		}
		f := fieldName(v.X.Type(), v.Field, true)
		return b.sub(b.key+"."+f, b.name+"."+f), true
	case *ssa.Field:
		b, ok := fr.resolveDepth(v.X, d+1)
		if !ok {
			return b, false
		}
		f := fieldName(v.X.Type(), v.Field, false)
		return b.sub(b.key+"."+f, b.name+"."+f), true
	case *ssa.UnOp:
		if v.Op != token.MUL || fr.c.st.detached(v) {
			return path{}, false
		}
		b, ok := fr.resolveDepth(v.X, d+1)
		if !ok {
			return b, false
		}
		if a, isAlloc := b.def.(*ssa.Alloc); isAlloc && b.key == "a"+fr.c.st.id(a) && a.Parent() == fr.c.root {
			// A captured variable assigned once holds that value:
			// name what is reached through it as through the value,
			// as the spawner's other uses of the value do.
			if val := assignedOnce(a); val != nil {
				env := fr.c.rootEnv
				if env == nil {
					env = map[ssa.Value]path{}
				}
				rf := &frame{c: fr.c, fn: fr.c.root, env: env, root: true}
				if vp, ok := rf.resolveDepth(val, d+1); ok {
					return vp, true
				}
			}
		}
		return b.sub(b.key+"*", b.name), true
	case *ssa.IndexAddr:
		return fr.elem(v.X, v.Index, d)
	case *ssa.Index:
		return fr.elem(v.X, v.Index, d)
	case *ssa.Slice:
		b, ok := fr.resolveDepth(v.X, d+1)
		if ok && fr.isRoot() && fr.c.spawn != nil && (fr.perInstanceValue(v.Low) || fr.perInstanceValue(v.High)) {
			b.window = "w" + fr.c.st.id(v)
		}
		return b, ok
	case *ssa.ChangeType:
		return fr.resolveDepth(v.X, d+1)
	case *ssa.ChangeInterface:
		return fr.resolveDepth(v.X, d+1)
	case *ssa.MakeInterface:
		return fr.resolveDepth(v.X, d+1)
	case *ssa.TypeAssert:
		if v.CommaOk {
			return path{}, false
		}
		return fr.resolveDepth(v.X, d+1)
	case *ssa.Phi:
		var out path
		for i, e := range v.Edges {
			if e == v {
				continue
			}
			p, ok := fr.resolveDepth(e, d+1)
			if !ok || i > 0 && out.key != "" && p.key != out.key {
				return fr.opaque(v)
			}
			out = p
		}
		if out.key == "" {
			return fr.opaque(v)
		}
		return out, true
	case *ssa.Alloc:
		if !fr.isRoot() {
			return path{}, false // fresh inside the goroutine or callee
		}
		if !v.Heap {
			return path{}, false // never escapes: not shared
		}
		name := v.Comment
		if name == "" || name == "new" || name == "complit" || name == "slicelit" || name == "varargs" {
			name = fr.c.st.localName(v.Pos())
		}
		if name == "" {
			name = "the value allocated at line " + strconv.Itoa(fr.c.st.pass.Fset.Position(v.Pos()).Line)
		}
		spilled := false
		for _, r := range *v.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == v {
				if _, ok := st.Val.(*ssa.Parameter); ok {
					spilled = true
				}
			}
		}
		return path{key: "a" + fr.c.st.id(v), name: name, inst: fr.c.perInstance(v), def: v, param: spilled}, true
	case *ssa.Parameter:
		if !fr.isRoot() {
			return path{}, false
		}
		return path{key: "p:" + v.Name(), name: v.Name(), inst: fr.c.spawn != nil && fr.c.spawn.Site == nil && !isRecv(fr.fn, v), param: true}, true
	case *ssa.FreeVar:
		if !fr.isRoot() {
			return path{}, false
		}
		return path{key: "fv:" + v.Name(), name: v.Name()}, true
	case *ssa.Call:
		// A getter of a channel field (func (r *R) Running() <-chan
		// struct{} { return r.running }) yields the field's channel:
		// operations on its result are operations on the field.
		if g := fr.c.st.chanGetterOf(v.Call.StaticCallee()); g != nil && g.Param < len(v.Call.Args) {
			if b, ok := fr.resolveDepth(v.Call.Args[g.Param], d+1); ok {
				return path{key: b.key + "." + g.Field + "*", name: b.name + "." + g.Field, inst: b.inst, def: b.def, param: b.param}, true
			}
		}
	}
	return fr.opaque(v)
}

// chanGetterOf returns what fn returns when it is a channel getter: of
// this package by its body (chanGetter), of another by its ChanGetter
// fact; memoized; else nil.
func (st *state) chanGetterOf(fn *ssa.Function) *ChanGetter {
	if fn == nil {
		return nil
	}
	if g, ok := st.getters[fn]; ok {
		return g
	}
	var g *ChanGetter
	if k, fa := chanGetter(fn); fa != nil {
		g = &ChanGetter{Param: k, Field: fieldName(fa.X.Type(), fa.Field, true)}
	} else if obj, ok := fn.Object().(*types.Func); ok && fn.Blocks == nil && obj.Pkg() != nil && obj.Pkg() != st.pass.Pkg {
		var f ChanGetter
		if st.pass.ImportObjectFact(obj.Origin(), &f) {
			g = &f
		}
	}
	if st.getters == nil {
		st.getters = map[*ssa.Function]*ChanGetter{}
	}
	st.getters[fn] = g
	return g
}

// ChanGetter is a fact on an exported function whose only result is a
// channel field of one of its parameters (func (r *R) Running() <-chan
// struct{} { return r.running }): in other packages, a receive from the
// result is a receive from the field, which Accesses.Closes names.
type ChanGetter struct {
	Param int    // the parameter (receiver first)
	Field string // the field's name
}

// AFact marks ChanGetter as a fact.
func (*ChanGetter) AFact() {}

func (g *ChanGetter) String() string {
	return "changetter(" + strconv.Itoa(g.Param) + "." + g.Field + ")"
}

// chanGetter returns, for a function whose only result is a channel
// field of one of its parameters (return r.ch, converted or not), the
// parameter's index and the field's address.
func chanGetter(fn *ssa.Function) (int, *ssa.FieldAddr) {
	if fn == nil || fn.Signature.Results().Len() != 1 || len(fn.Blocks) != 1 {
		return -1, nil
	}
	if _, ok := fn.Signature.Results().At(0).Type().Underlying().(*types.Chan); !ok {
		return -1, nil
	}
	ret, ok := fn.Blocks[0].Instrs[len(fn.Blocks[0].Instrs)-1].(*ssa.Return)
	if !ok || len(ret.Results) != 1 {
		return -1, nil
	}
	fa := ssax.FieldAddrOf(ret.Results[0])
	if fa == nil {
		return -1, nil
	}
	for i, p := range fn.Params {
		if fa.X == p {
			return i, fa
		}
	}
	return -1, nil
}

// detached reports whether load reads a map or slice out of a variable
// or field that its function then overwrites (conns := c.conns; c.conns
// = nil): the contents are no longer reachable through the variable, so
// the function owns them.
func (st *state) detached(load *ssa.UnOp) bool {
	switch load.Type().Underlying().(type) {
	case *types.Map, *types.Slice:
	default:
		return false
	}
	if d, ok := st.detachedMemo[load]; ok {
		return d
	}
	d := st.detachedScan(load)
	st.detachedMemo[load] = d
	return d
}

func (st *state) detachedScan(load *ssa.UnOp) bool {
	fn := load.Parent()
	if fn == nil {
		return false
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			s, ok := instr.(*ssa.Store)
			if !ok || s.Val == load || !sameAddr(s.Addr, load.X) {
				continue
			}
			if ld, ok := s.Val.(*ssa.UnOp); ok && ld.Op == token.MUL && sameAddr(ld.X, load.X) {
				continue
			}
			if derivedFrom(s.Val, load) {
				continue // s.buf = s.buf[:0], s.buf = append(s.buf, x): the same backing array
			}
			if st.reach.after(load, s) {
				return true
			}
		}
	}
	return false
}

// derivedFrom reports whether v is a slice of x or an append to it.
func derivedFrom(v, x ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.Slice:
		return v.X == x
	case *ssa.Call:
		if b, ok := v.Call.Value.(*ssa.Builtin); ok && b.Name() == "append" && len(v.Call.Args) > 0 {
			return v.Call.Args[0] == x
		}
	}
	return false
}

// localName returns the variable that a call or allocation at pos is
// assigned to (x := f(), x := &T{}, var x = new(T)), for messages, or "".
func (st *state) localName(pos token.Pos) string {
	if st.names == nil {
		st.names = map[token.Pos]string{}
		st.tuples = map[tupleRef]string{}
		note := func(lhs ast.Expr, rhs ast.Expr) {
			id, ok := lhs.(*ast.Ident)
			if !ok || id.Name == "_" {
				return
			}
			rhs = ast.Unparen(rhs)
			if u, ok := rhs.(*ast.UnaryExpr); ok && u.Op == token.AND {
				rhs = ast.Unparen(u.X)
			}
			switch r := rhs.(type) {
			case *ast.CallExpr:
				st.names[r.Lparen] = id.Name
			case *ast.CompositeLit:
				st.names[r.Lbrace] = id.Name
			}
		}
		for _, f := range st.pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					if len(n.Rhs) == 1 && len(n.Lhs) >= 1 {
						note(n.Lhs[0], n.Rhs[0])
					}
					if call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok && len(n.Rhs) == 1 && len(n.Lhs) > 1 {
						for i, l := range n.Lhs {
							if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
								st.tuples[tupleRef{call.Lparen, i}] = id.Name
							}
						}
					}
				case *ast.ValueSpec:
					if len(n.Values) == 1 && len(n.Names) >= 1 {
						note(n.Names[0], n.Values[0])
					}
				}
				return true
			})
		}
	}
	return st.names[pos]
}

func isRecv(fn *ssa.Function, p *ssa.Parameter) bool {
	return fn.Signature.Recv() != nil && len(fn.Params) > 0 && fn.Params[0] == p
}

// opaque names a value of the root function that cannot be decomposed
// (a call result, a receive): itself. Values of callees and goroutine
// bodies that cannot be decomposed are treated as unshared.
func (fr *frame) opaque(v ssa.Value) (path, bool) {
	if !fr.isRoot() {
		return path{}, false
	}
	instr, ok := v.(ssa.Instruction)
	if !ok {
		return path{}, false
	}
	switch v.(type) {
	case *ssa.Call, *ssa.Extract, *ssa.Lookup, *ssa.Phi:
	default:
		return path{}, false
	}
	name := "the value at line " + strconv.Itoa(fr.c.st.pass.Fset.Position(v.Pos()).Line)
	if e, ok := v.(*ssa.Extract); ok {
		if c, ok := e.Tuple.(*ssa.Call); ok {
			if n := fr.c.st.tupleName(c.Pos(), e.Index); n != "" {
				name = n
			} else if n := fr.c.st.localName(c.Pos()); n != "" && e.Index == 0 {
				name = n
			} else if callee := c.Call.StaticCallee(); callee != nil {
				name = "result " + strconv.Itoa(e.Index+1) + " of " + callee.Name() + "()"
			}
		}
	}
	if c, ok := v.(*ssa.Call); ok {
		if n := fr.c.st.localName(c.Pos()); n != "" {
			name = n
		} else if callee := c.Call.StaticCallee(); callee != nil {
			name = callee.Name() + "()"
		}
	}
	return path{key: "v" + fr.c.st.id(v), name: name, inst: fr.c.perInstance(instr), def: instr}, true
}

// elemIdx returns the index of the element that b, the base of a field
// selection or a load, names directly (xs[i] in xs[i].f, or the object
// that the pointer xs[i] points to), to be kept by the new path: a
// field of another element is other memory (elements are assumed to
// point to distinct objects). Indices of a whole-slice scan stay
// behind (the scan overlaps every element).
func elemIdx(b path) (string, ssa.Instruction) {
	if !strings.HasSuffix(b.key, "[]") && !strings.HasSuffix(b.key, "[]*") || strings.HasPrefix(b.idx, "*") {
		return "", nil
	}
	return b.idx, b.idxDef
}

// sub returns the path key (named name) below b: a field of it, or what
// it points to, keeping the element index b names.
func (b path) sub(key, name string) path {
	p := path{key: key, name: name, inst: b.inst, def: b.def, param: b.param}
	p.idx, p.idxDef = elemIdx(b)
	return p
}

// elem names an element of x.
func (fr *frame) elem(x, index ssa.Value, d int) (path, bool) {
	b, ok := fr.resolveDepth(x, d+1)
	if !ok {
		return b, false
	}
	p := path{key: b.key + "[]", inst: b.inst, def: b.def, param: b.param}
	if c, ok := index.(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.Int {
		p.idx = "c:" + c.Value.String()
		p.name = b.name + "[" + c.Value.String() + "]"
		return p, true
	}
	p.name = b.name + "[...]"
	if b.window != "" {
		// An element of this instance's part of the slice.
		p.idx = "v:" + b.window
		return p, true
	}
	if wholeScan(index) && !(fr.isRoot() && fr.c.perInstance(index.(ssa.Instruction))) {
		// A loop from the first element on visits every element: each
		// goroutine that runs it touches all of them, no partition
		// (unless it is the spawner's loop that starts one goroutine
		// per element).
		p.idx = idxScan
		return p, true
	}
	if ip, ok := fr.resolveDepth(index, d+1); ok {
		p.idx = "v:" + ip.key
		p.inst = p.inst || ip.inst
		if in, ok := index.(ssa.Instruction); ok && fr.isRoot() && fr.c.perInstance(in) {
			p.idxDef = in
		}
	} else if bin, ok := index.(*ssa.BinOp); ok && (bin.Op == token.ADD || bin.Op == token.SUB) && constInt(bin.Y) != 0 {
		// i-1 beside i: a neighbour, another element.
		if ip, ok := fr.resolveDepth(bin.X, d+1); ok {
			p.idx = "v:" + ip.key + bin.Op.String() + strconv.FormatInt(constInt(bin.Y), 10)
			p.inst = p.inst || ip.inst
			if fr.isRoot() && fr.c.perInstance(bin) {
				p.idxDef = bin
			}
		} else {
			p.inst = true
		}
	} else {
		p.inst = true // computed inside the goroutine: a partition
	}
	return p, true
}

// idxScan is the index of an element visited by a loop over all
// elements: it overlaps every element, in every goroutine instance.
const idxScan = "*scan"

// wholeScan reports whether index is the counter of a loop that starts
// at the first element and steps by one (for i := 0; ...; i++, or the
// index of a range over a slice or array).
func wholeScan(index ssa.Value) bool {
	step := func(v ssa.Value, phi *ssa.Phi) bool {
		add, ok := v.(*ssa.BinOp)
		if !ok || add.Op != token.ADD || add.X != phi {
			return false
		}
		return constInt(add.Y) == 1
	}
	// startsAt reports whether phi is a counter with initial value n:
	// one edge the constant, every other edge phi+1.
	startsAt := func(phi *ssa.Phi, n int64) bool {
		init := false
		for _, e := range phi.Edges {
			if c, ok := e.(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.Int {
				if v, ok := constant.Int64Val(c.Value); ok && v == n {
					init = true
					continue
				}
				return false
			}
			if !step(e, phi) {
				return false
			}
		}
		return init
	}
	switch v := index.(type) {
	case *ssa.Phi:
		return startsAt(v, 0)
	case *ssa.BinOp:
		// range: phi [-1, t+1]; the element index is phi+1.
		if phi, ok := v.X.(*ssa.Phi); ok && step(v, phi) {
			return startsAt(phi, -1)
		}
	}
	return false
}

// fieldName returns the name of field i of the struct t points to (ptr)
// or is.
func fieldName(t types.Type, i int, ptr bool) string {
	t = types.Unalias(t)
	if ptr {
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		} else if tp, ok := t.(*types.TypeParam); ok {
			if core := coreOf(tp); core != nil {
				if p, ok := core.(*types.Pointer); ok {
					t = p.Elem()
				}
			}
		}
	}
	if tp, ok := types.Unalias(t).(*types.TypeParam); ok {
		if core := coreOf(tp); core != nil {
			t = core
		}
	}
	if st, ok := t.Underlying().(*types.Struct); ok && i < st.NumFields() {
		return st.Field(i).Name()
	}
	return "f" + strconv.Itoa(i)
}

func coreOf(tp *types.TypeParam) types.Type {
	iface, ok := tp.Underlying().(*types.Interface)
	if !ok || iface.NumEmbeddeds() != 1 {
		return nil
	}
	return iface.EmbeddedType(0).Underlying()
}

// perInstance reports whether instr, a value of the root function, is
// created afresh by each instance of the spawn being examined: it lies
// in the loop that contains the spawn.
func (c *context) perInstance(instr ssa.Instruction) bool {
	s := c.spawn
	if s == nil {
		return false
	}
	if s.Site == nil {
		return true // a handler's own locals
	}
	if instr.Parent() != s.Site.Parent() {
		return false
	}
	b, sb := instr.Block(), s.Site.Block()
	return c.st.reach.blockReaches(b, sb) && c.st.reach.blockReaches(sb, b)
}

// perInstanceValue reports whether v is computed anew by each instance
// of the spawn in the root (a slice bound in the loop that starts the
// goroutines).
func (fr *frame) perInstanceValue(v ssa.Value) bool {
	instr, ok := v.(ssa.Instruction)
	return ok && fr.c.perInstance(instr)
}

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
		exit:  fr.exit || isDefer && fr.top == nil,
		locks: locks, fn: fr.fn, goEntry: fr.goEntry, lazy: write && (!loc.param && !strings.HasPrefix(loc.key, "g:") && !strings.HasPrefix(loc.key, "fv:") || len(locks) > 0) && lazyInit(instr),
	})
}

func (fr *frame) event(kind goroutines.EventKind, obj ssa.Value, instr ssa.Instruction, exit bool) {
	ev := event{kind: kind, top: fr.topOf(instr), instr: instr, exit: exit || fr.exit}
	if obj != nil {
		ev.typ = types.TypeString(obj.Type(), nil)
		if ch, ok := obj.Type().Underlying().(*types.Chan); ok {
			// Directions do not matter: a chan<- T parameter and a
			// <-chan T field may be one channel.
			ev.typ = "chan " + types.TypeString(ch.Elem(), nil)
		}
		if mc, ok := obj.(*ssa.MakeChan); ok && fr.isRoot() {
			// Named by the variable it is stored in, as captures see it.
			for _, r := range *mc.Referrers() {
				if st, ok := r.(*ssa.Store); ok && st.Val == mc {
					if p, ok := fr.resolve(st.Addr); ok {
						ev.key = p.key + "*"
					}
				}
			}
		} else if p, ok := fr.resolve(obj); ok {
			ev.key = p.key
		}
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
		if p, ok := fr.resolve(in.Addr); ok {
			fr.add(p, true, in, fl)
		}
	case *ssa.UnOp:
		switch in.Op {
		case token.MUL:
			if p, ok := fr.resolve(in.X); ok {
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
				fr.enter(in, f, nil, in.Bindings, fl, false)
			}
		}
	case *ssa.Convert:
		if _, ok := in.X.Type().Underlying().(*types.Slice); ok {
			if p, ok := fr.resolve(in.X); ok {
				fr.add(elems(p), false, in, fl)
			}
		}
	case *ssa.Send:
		fr.event(goroutines.EvSend, in.Chan, in, false)
	case *ssa.Select:
		for i, s := range in.States {
			k := goroutines.EvRecv
			if s.Dir == types.SendOnly {
				k = goroutines.EvSend
			} else if fr.ctxDoneEvent(s.Chan, in) {
				continue
			}
			fr.event(k, s.Chan, in, false)
			fr.c.events[len(fr.c.events)-1].state = i
		}
	case *ssa.Go:
		if fr.filter != nil {
			return // another spawn of the root: examined on its own
		}
		// A goroutine started by a callee is walked as part of the
		// caller, marked with its entry.
		if f, _ := goroutines.FuncOf(in.Call.Value); f != nil {
			fr.goEntry, f = goroutines.Origin(f), fr.goEntry
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

// fillsChan reports whether send instr on ch lies in a loop of a
// function that also asks for cap(ch): for i := 0; i < cap(ch); i++ { ch <- x }.
func (fr *frame) fillsChan(instr ssa.Instruction, ch ssa.Value) bool {
	if !fr.c.st.g.InLoop(instr.Block()) {
		return false
	}
	key := ""
	if p, ok := fr.resolve(ch); ok {
		key = p.key
	}
	for _, b := range fr.fn.Blocks {
		for _, in := range b.Instrs {
			c, ok := in.(*ssa.Call)
			if !ok || len(c.Call.Args) != 1 {
				continue
			}
			if bi, ok := c.Call.Value.(*ssa.Builtin); !ok || bi.Name() != "cap" {
				continue
			}
			arg := c.Call.Args[0]
			if arg == ch {
				return true
			}
			if p, ok := fr.resolve(arg); ok && key != "" && p.key == key {
				return true
			}
		}
	}
	return false
}

// sendsBefore reports whether at least n sends on ch (other than
// instr) execute before instr on every path: the buffer of capacity n is
// full, so instr waits for a receive.
func (fr *frame) sendsBefore(instr ssa.Instruction, ch ssa.Value, n int64) bool {
	key := ""
	if p, ok := fr.resolve(ch); ok {
		key = p.key
	}
	count := int64(0)
	for _, b := range fr.fn.Blocks {
		for _, in := range b.Instrs {
			snd, ok := in.(*ssa.Send)
			if !ok || in == instr || !fr.c.st.reach.dominates(in, instr, false) || fr.c.st.g.InLoop(in.Block()) {
				continue
			}
			same := snd.Chan == ch
			if !same && key != "" {
				if p, ok := fr.resolve(snd.Chan); ok && p.key == key {
					same = true
				}
			}
			if same {
				count++
			}
		}
	}
	return count >= n
}

// chanCapacity returns the constant capacity channel v (with location
// key) was made with, as far as the root function shows, or -1.
func (st *state) chanCapacity(fr *frame, v ssa.Value, key string) int64 {
	if mc, ok := v.(*ssa.MakeChan); ok {
		return constInt(mc.Size)
	}
	if key == "" {
		return -1
	}
	if n, ok := st.chanCaps[key]; ok {
		return n
	}
	n := int64(-1)
	root := fr.c.root
	rf := &frame{c: fr.c, fn: root, env: map[ssa.Value]path{}, root: true}
	for _, blk := range root.Blocks {
		for _, instr := range blk.Instrs {
			s, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			mc, ok := s.Val.(*ssa.MakeChan)
			if !ok {
				continue
			}
			if p, ok := rf.resolve(s.Addr); ok && p.key+"*" == key {
				n = constInt(mc.Size)
			}
		}
	}
	st.chanCaps[key] = n
	return n
}

// constInt returns the value of a non-negative integer constant, or -1.
func constInt(v ssa.Value) int64 {
	c, ok := v.(*ssa.Const)
	if !ok || c.Value == nil || c.Value.Kind() != constant.Int {
		return -1
	}
	n, ok := constant.Int64Val(c.Value)
	if !ok || n < 0 {
		return -1
	}
	return n
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
		// A callback handed down by a caller (or the goroutine's
		// spawner): walk the function it is known to be.
		if fv := fr.funcValue(c.Value, 0); fv != nil {
			fr.enterValue(instr, fv, c.Args, fl, deferred)
		}
		return
	}
	if httpRoundTrip(callee) || httpServes(callee) {
		// Handlers run only once serving starts and a request comes.
		fr.c.events = append(fr.c.events, event{kind: goroutines.EvClose, key: httpServeKey, top: fr.topOf(instr), instr: instr, exit: deferred || fr.exit, capacity: -1})
	}
	if httpRoundTrip(callee) {
		// The response arrives after the handler that served it ran:
		// the race detector orders the two through the connection's
		// I/O, and so does this check (httpServed's release).
		fr.c.events = append(fr.c.events, event{kind: goroutines.EvWait, key: httpIOKey, top: fr.topOf(instr), instr: instr, exit: deferred || fr.exit})
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
			ev := event{kind: goroutines.EvSend, key: p.key + ".C*", top: fr.topOf(instr), instr: instr, exit: deferred || fr.exit, capacity: -1}
			ev.since = fr.stopBefore(instr, p.key)
			fr.c.events = append(fr.c.events, ev)
		}
		return
	case syncapi.SynctestWait:
		// Every other goroutine of the bubble is durably blocked: what
		// they did happens before Wait returns.
		fr.c.events = append(fr.c.events, event{kind: evBarrier, top: fr.topOf(instr), instr: instr, exit: fr.exit})
		return
	case syncapi.OnceDo:
		if f, binds := goroutines.FuncOf(c.Args[1]); f != nil {
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
	if o := goroutines.Origin(callee); callee.Pkg != fr.c.st.ssa.Pkg && o.Pkg != fr.c.st.ssa.Pkg && (o.Synthetic == "" || o.Blocks == nil) {
		// A function of another package, built from export data
		// without a body: its Accesses fact stands for it. The
		// standard library synchronises its internals itself.
		if o.Pkg != nil && !ssax.IsStd(o.Pkg.Pkg.Path()) {
			fr.applySummary(instr, callee, c.Args, fl)
		}
		return
	}
	f, binds := goroutines.FuncOf(c.Value)
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
	sub := &frame{c: fr.c, fn: f, env: env, locks: locks, top: fr.topOf(instr), exit: fr.exit || deferred, depth: fr.depth + depthCost(f), goEntry: fr.goEntry}
	sub.live = liveBlocks(f, args)
	fr.bindFuncs(sub, f, args, binds)
	sub.walk()
}

// liveBlocks returns the blocks of f that can run when it is called with
// args, given the branches that test a boolean parameter passed as a
// constant (directly or negated) or compare with nil a parameter passed
// as nil, or nil when no argument decides one.
func liveBlocks(f *ssa.Function, args []ssa.Value) map[*ssa.BasicBlock]bool {
	consts := map[ssa.Value]bool{}
	nils := map[ssa.Value]bool{}
	for i, p := range f.Params {
		if i >= len(args) {
			break
		}
		if k, ok := args[i].(*ssa.Const); ok {
			switch {
			case k.Value != nil && k.Value.Kind() == constant.Bool:
				consts[p] = constant.BoolVal(k.Value)
			case k.IsNil():
				nils[p] = true
			}
		}
	}
	// Boolean fields of a struct literal passed by address (or by
	// value) that the caller never sets, or sets to one constant.
	fields := map[ssa.Value]map[int]bool{}
	for i, p := range f.Params {
		if i >= len(args) {
			break
		}
		if known := literalBools(args[i]); len(known) > 0 {
			fields[p] = known
		}
	}
	if len(consts)+len(nils)+len(fields) == 0 || len(f.Blocks) == 0 {
		return nil
	}
	decided := func(cond ssa.Value) (bool, bool) {
		neg := false
		for {
			u, ok := cond.(*ssa.UnOp)
			if !ok || u.Op != token.NOT {
				break
			}
			neg, cond = !neg, u.X
		}
		if bin, ok := cond.(*ssa.BinOp); ok && (bin.Op == token.EQL || bin.Op == token.NEQ) {
			// p == nil or p != nil, p passed as nil.
			x, y := bin.X, bin.Y
			if k, ok := x.(*ssa.Const); ok && k.IsNil() {
				x, y = y, x
			}
			if k, ok := y.(*ssa.Const); ok && k.IsNil() && nils[x] {
				return (bin.Op == token.EQL) != neg, true
			}
			return false, false
		}
		if v, k, ok := fieldOfParam(cond); ok {
			if b, ok := fields[v][k]; ok {
				return b != neg, true
			}
		}
		v, ok := consts[cond]
		return v != neg, ok
	}
	live := map[*ssa.BasicBlock]bool{}
	pruned := false
	work := []*ssa.BasicBlock{f.Blocks[0]}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if live[b] {
			continue
		}
		live[b] = true
		succs := b.Succs
		if ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok && len(succs) == 2 {
			if v, ok := decided(ifi.Cond); ok {
				pruned = true
				if v {
					succs = succs[:1]
				} else {
					succs = succs[1:]
				}
			}
		}
		work = append(work, succs...)
	}
	if !pruned {
		return nil
	}
	if f.Recover != nil {
		live[f.Recover] = true
	}
	return live
}

// literalBools returns the constant boolean fields of a struct variable
// passed as arg (&v, or v loaded): each field never assigned is false,
// each assigned only one constant is that. The variable must go nowhere
// but into its field stores and the argument; else nil.
func literalBools(arg ssa.Value) map[int]bool {
	alloc, ok := arg.(*ssa.Alloc)
	if !ok {
		if ld, isLoad := arg.(*ssa.UnOp); isLoad && ld.Op == token.MUL {
			alloc, ok = ld.X.(*ssa.Alloc)
		}
	}
	if !ok || alloc.Referrers() == nil {
		return nil
	}
	ptr, ok := alloc.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	st, ok := ptr.Elem().Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	set := map[int][]ssa.Value{}
	uses := 0
	// fieldStores adds the stores into the fields of a; false when its
	// address goes anywhere else.
	fieldStores := func(a *ssa.Alloc, r *ssa.FieldAddr) bool {
		for _, fr := range *r.Referrers() {
			switch fr := fr.(type) {
			case *ssa.Store:
				if fr.Addr == r {
					set[r.Field] = append(set[r.Field], fr.Val)
				}
			case *ssa.UnOp:
				if fr.Op != token.MUL {
					return false
				}
			case *ssa.DebugRef:
			default:
				return false
			}
		}
		return true
	}
	for _, r := range *alloc.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			// v := T{...}: the literal is built in its own cell and
			// copied in once.
			ld, ok := r.Val.(*ssa.UnOp)
			if !ok || r.Addr != alloc {
				return nil
			}
			lit, isAlloc := ld.X.(*ssa.Alloc)
			if !isAlloc || lit == alloc || lit.Referrers() == nil {
				return nil
			}
			for _, lr := range *lit.Referrers() {
				switch lr := lr.(type) {
				case *ssa.FieldAddr:
					if !fieldStores(lit, lr) {
						return nil
					}
				case *ssa.UnOp, *ssa.DebugRef:
				default:
					return nil
				}
			}
		case *ssa.FieldAddr:
			if !fieldStores(alloc, r) {
				return nil // its address goes elsewhere
			}
		case *ssa.DebugRef:
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return nil
			}
			uses++
		case ssa.CallInstruction:
			uses++
		default:
			return nil
		}
	}
	if uses != 1 {
		return nil // handed to more than the one call
	}
	out := map[int]bool{}
	for i := 0; i < st.NumFields(); i++ {
		if b, ok := st.Field(i).Type().Underlying().(*types.Basic); !ok || b.Info()&types.IsBoolean == 0 {
			continue
		}
		v, known := false, true
		for j, x := range set[i] {
			k, ok := x.(*ssa.Const)
			if !ok || k.Value == nil || k.Value.Kind() != constant.Bool || j > 0 && constant.BoolVal(k.Value) != v {
				known = false
				break
			}
			v = constant.BoolVal(k.Value)
		}
		if known {
			out[i] = v
		}
	}
	return out
}

// fieldOfParam returns the parameter and field index of cond when it
// reads a field of a parameter: p.f of a struct value, or *(&p.f) of a
// pointer.
func fieldOfParam(cond ssa.Value) (ssa.Value, int, bool) {
	switch c := cond.(type) {
	case *ssa.Field:
		if p, ok := c.X.(*ssa.Parameter); ok {
			return p, c.Field, true
		}
	case *ssa.UnOp:
		if fa, ok := c.X.(*ssa.FieldAddr); ok && c.Op == token.MUL {
			if p, ok := fa.X.(*ssa.Parameter); ok {
				return p, fa.Field, true
			}
		}
	}
	return nil, 0, false
}

// enterValue walks a call of the known function value fv.
func (fr *frame) enterValue(instr ssa.Instruction, fv *fnval, args []ssa.Value, fl *lockset.FuncLocks, deferred bool) {
	f := fv.fn
	if f.Blocks == nil || fr.depth >= maxDepth || fr.c.steps > maxSteps {
		return
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
	sub := &frame{c: fr.c, fn: f, env: env, top: fr.topOf(instr), exit: fr.exit || deferred, depth: fr.depth + depthCost(f), goEntry: fr.goEntry}
	for i, v := range f.FreeVars {
		if i < len(fv.binds) {
			env[v] = fv.binds[i]
			if fv.funcs[i] != nil {
				if sub.funcs == nil {
					sub.funcs = map[ssa.Value]*fnval{}
				}
				sub.funcs[v] = fv.funcs[i]
			}
		}
	}
	fr.bindFuncs(sub, f, args, nil)
	sub.locks = append(fr.heldAt(instr, fl), fr.customLocks(instr)...)
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

// onceLock stands for the ordering Once.Do provides: the callback's
// writes happen before every Do returns.
var onceLock = lockset.Lock{Key: "once", Name: "once", Class: "sync.Once"}

// callerLock stands for the lock a "...Locked" function's caller holds.
var callerLock = lockset.Lock{Key: "caller", Name: "the caller's lock", Class: "caller-held"}

// afterOnce reports whether a call to Once.Do dominates instr.
func (fr *frame) afterOnce(instr ssa.Instruction) bool {
	for _, c := range fr.c.st.onceCalls(fr.fn) {
		if fr.c.st.reach.dominates(c, instr, false) {
			return true
		}
	}
	return false
}

// onceCalls returns fn's calls to (*sync.Once).Do, computed once per
// function: afterOnce asks for every access of every frame.
func (st *state) onceCalls(fn *ssa.Function) []*ssa.Call {
	if cs, ok := st.onceDo[fn]; ok {
		return cs
	}
	var cs []*ssa.Call
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if c, ok := in.(*ssa.Call); ok {
				if syncapi.Call(&c.Call).Kind == syncapi.OnceDo {
					cs = append(cs, c)
				}
			}
		}
	}
	if st.onceDo == nil {
		st.onceDo = make(map[*ssa.Function][]*ssa.Call)
	}
	st.onceDo[fn] = cs
	return cs
}

// customLocks returns pseudo-locks for calls to lock-like methods of
// types outside sync (RWLock, Acquire, ...) that dominate instr, so that
// hand-made mutexes are not mistaken for no synchronisation.
func (fr *frame) customLocks(instr ssa.Instruction) []lockset.Lock {
	var out []lockset.Lock
	for _, cc := range fr.c.st.lockLikeCalls(fr.fn) {
		if fr.c.st.reach.dominates(cc.call, instr, false) {
			out = append(out, lockset.Lock{Key: "custom:" + cc.class, Name: cc.name, Class: "custom:" + cc.class})
		}
	}
	return out
}

// customCall is a call to a hand-made lock: a function outside sync
// whose name says it acquires something.
type customCall struct {
	call  *ssa.Call
	name  string
	class string // the receiver's type: Lock and WaitAndLock of one gate are one lock
}

// lockLikeCalls returns fn's calls to hand-made locks, computed once per
// function: customLocks asks for every access of every frame.
func (st *state) lockLikeCalls(fn *ssa.Function) []customCall {
	if cs, ok := st.customCalls[fn]; ok {
		return cs
	}
	var cs []customCall
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			c, ok := in.(*ssa.Call)
			if !ok {
				continue
			}
			var name, class string
			if c.Call.IsInvoke() {
				name = c.Call.Method.Name()
				class = types.TypeString(c.Call.Value.Type(), nil)
			} else if callee := c.Call.StaticCallee(); callee != nil {
				if callee.Pkg != nil && syncapi.IsSyncPackage(callee.Pkg.Pkg.Path()) {
					continue
				}
				name = callee.Name()
				if recv := callee.Signature.Recv(); recv != nil {
					class = types.TypeString(recv.Type(), nil)
				}
			} else {
				continue
			}
			if class == "" {
				class = name
			}
			if lockLike(name) {
				cs = append(cs, customCall{c, name, class})
			}
		}
	}
	if st.customCalls == nil {
		st.customCalls = make(map[*ssa.Function][]customCall)
	}
	st.customCalls[fn] = cs
	return cs
}

// evBarrier marks a synctest.Wait: everything other goroutines did
// before blocking happens before it.
const evBarrier goroutines.EventKind = 100

// evHandoff is an Unlock of a mutex the goroutine did not lock (a
// release); evLock is any Lock (an acquire of a handed-off mutex).
const (
	evHandoff goroutines.EventKind = 101
	evLock    goroutines.EventKind = 102
)

// lockLike reports whether a function name suggests it takes a lock:
// lock, rlock, RWLock, lockSlow, acquire, acquireSema...
func lockLike(name string) bool {
	lower := strings.ToLower(name)
	for _, bad := range []string{"unlock", "block", "clock", "deadlock", "lockosthread", "locked"} {
		if strings.Contains(lower, bad) {
			return false
		}
	}
	return strings.HasPrefix(lower, "lock") || strings.HasSuffix(lower, "lock") || strings.HasPrefix(lower, "acquire")
}

// calledDirectly reports whether a closure's only uses are as the callee
// of calls or go/defer statements (walked there).
func calledDirectly(mc *ssa.MakeClosure) bool {
	for _, r := range *mc.Referrers() {
		if c, ok := r.(ssa.CallInstruction); ok {
			if callee := c.Common().StaticCallee(); callee != nil && callee.Pkg != nil && syncapi.IsSyncPackage(callee.Pkg.Pkg.Path()) {
				return true // Once.Do and friends: walked at the call
			}
		}
		c, ok := r.(ssa.CallInstruction)
		if !ok || c.Common().Value != mc {
			return false
		}
	}
	return true
}

// nilTests calls f for each test of a loaded location against nil that
// decides a branch on the way to instr (walking up its dominators): the
// block b on instr's side of the branch, the testing block, the load,
// and whether b is the branch taken when the location is nil. It stops
// when f returns true, and reports whether f did.
func nilTests(instr ssa.Instruction, f func(b, test *ssa.BasicBlock, ld *ssa.UnOp, onNil bool) bool) bool {
	for b := instr.Block(); b != nil; b = b.Idom() {
		test := b.Idom()
		if test == nil || len(test.Instrs) == 0 {
			return false
		}
		ifi, ok := test.Instrs[len(test.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		cmp, ok := ifi.Cond.(*ssa.BinOp)
		if !ok || cmp.Op != token.EQL && cmp.Op != token.NEQ {
			continue
		}
		nilSucc := test.Succs[0]
		if cmp.Op == token.NEQ {
			nilSucc = test.Succs[1]
		}
		for i, side := range []ssa.Value{cmp.X, cmp.Y} {
			other := []ssa.Value{cmp.Y, cmp.X}[i]
			if c, ok := other.(*ssa.Const); !ok || !c.IsNil() {
				continue
			}
			if ld, ok := side.(*ssa.UnOp); ok && ld.Op == token.MUL && f(b, test, ld, b == nilSucc) {
				return true
			}
		}
	}
	return false
}

// nilChecked reports whether instr runs only where the location at addr
// was found nil (if t.m == nil { ...instr... }): filling in a value the
// function has just made.
func nilChecked(instr ssa.Instruction, addr ssa.Value) bool {
	return nilTests(instr, func(b, _ *ssa.BasicBlock, ld *ssa.UnOp, onNil bool) bool {
		return onNil && len(b.Preds) == 1 && sameAddr(ld.X, addr)
	})
}

// lazyInit reports whether instr stores to a location only after
// checking that its current value is nil (or zero): if x == nil { x = ... }.
func lazyInit(instr ssa.Instruction) bool {
	st, ok := instr.(*ssa.Store)
	if !ok {
		return false
	}
	return nilTests(instr, func(_, test *ssa.BasicBlock, ld *ssa.UnOp, _ bool) bool {
		return sameAddr(ld.X, st.Addr) || groupInit(ld.X, st, test)
	})
}

// groupInit reports whether st, guarded by the nil test at the end of
// block test of checked (another field of the same object), belongs to
// the initialisation of a group of fields: the guarded branch that st
// sits in also stores the checked field (if t.dead == nil { t.dead =
// make(...); t.dying = make(...) }).
func groupInit(checked ssa.Value, st *ssa.Store, test *ssa.BasicBlock) bool {
	fc, ok1 := checked.(*ssa.FieldAddr)
	fs, ok2 := st.Addr.(*ssa.FieldAddr)
	if !ok1 || !ok2 || !sameAddr(fc.X, fs.X) {
		return false
	}
	var branch *ssa.BasicBlock
	for _, succ := range test.Succs {
		if succ.Dominates(st.Block()) {
			branch = succ
		}
	}
	if branch == nil {
		return false
	}
	for _, b := range st.Parent().Blocks {
		if !branch.Dominates(b) {
			continue
		}
		for _, in := range b.Instrs {
			if s2, ok := in.(*ssa.Store); ok && sameAddr(s2.Addr, checked) {
				return true
			}
		}
	}
	return false
}

// sameAddr reports whether two address expressions are syntactically
// the same field or variable.
func sameAddr(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	fa, ok1 := a.(*ssa.FieldAddr)
	fb, ok2 := b.(*ssa.FieldAddr)
	if ok1 && ok2 && fa.Field == fb.Field {
		return sameAddr(fa.X, fb.X)
	}
	la, ok1 := a.(*ssa.UnOp)
	lb, ok2 := b.(*ssa.UnOp)
	if ok1 && ok2 && la.Op == lb.Op {
		return sameAddr(la.X, lb.X)
	}
	return false
}

// passedInPackage reports whether a closure is only passed to functions
// of this package (which may call it there and then), not stored or
// handed to other packages (t.Cleanup, http.HandleFunc) that run it later.
func (fr *frame) passedInPackage(mc *ssa.MakeClosure) bool {
	for _, r := range *mc.Referrers() {
		c, ok := r.(ssa.CallInstruction)
		if !ok || c.Common().IsInvoke() {
			return false
		}
		if _, isGo := r.(*ssa.Go); isGo {
			return false
		}
		callee := c.Common().StaticCallee()
		if callee == nil || goroutines.Origin(callee).Pkg != fr.c.st.ssa.Pkg {
			return false
		}
		// The callee must call the closure itself, not store it.
		called := false
		for i, a := range c.Common().Args {
			if a != mc || i >= len(callee.Params) {
				continue
			}
			for _, u := range *callee.Params[i].Referrers() {
				if cu, ok := u.(ssa.CallInstruction); ok && cu.Common().Value == callee.Params[i] {
					called = true
				}
			}
		}
		if !called {
			return false
		}
	}
	return true
}

// tupleRef is result i of the multi-value call whose left parenthesis
// is at pos.
type tupleRef struct {
	pos token.Pos
	i   int
}

// tupleName returns the variable that result i of the call at lparen is
// assigned to, or "".
func (st *state) tupleName(lparen token.Pos, i int) string {
	st.localName(lparen) // builds the maps
	return st.tuples[tupleRef{lparen, i}]
}

// httpIOKey names the happens-before edge from an HTTP handler's run to
// the client call that receives its response.
const httpIOKey = "io:net/http"

// httpRoundTrip reports whether fn is a net/http client call that
// returns a server's response: http.Get, Post, Head and PostForm, and
// the http.Client methods of those names and Do.
// httpServeKey names the happens-before edge from the start of serving
// (or a request sent) to the handlers that a mux runs.
const httpServeKey = "serve:net/http"

// httpServes reports whether fn starts serving HTTP requests: net/http's
// Serve and ListenAndServe functions and methods (and their TLS
// variants), and httptest's servers.
func httpServes(fn *ssa.Function) bool {
	fn = goroutines.Origin(fn)
	if fn.Pkg == nil {
		return false
	}
	switch fn.Pkg.Pkg.Path() {
	case "net/http":
		switch fn.Name() {
		case "Serve", "ServeTLS", "ListenAndServe", "ListenAndServeTLS":
			return true
		}
	case "net/http/httptest":
		switch fn.Name() {
		case "NewServer", "NewTLSServer", "Start", "StartTLS":
			return true
		}
	}
	return false
}

func httpRoundTrip(fn *ssa.Function) bool {
	fn = goroutines.Origin(fn)
	if fn.Pkg == nil || fn.Pkg.Pkg.Path() != "net/http" {
		return false
	}
	switch fn.Name() {
	case "Get", "Post", "Head", "PostForm":
		return true
	case "Do":
		return fn.Signature.Recv() != nil
	}
	return false
}
