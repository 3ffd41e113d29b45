package sharedaccess

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/internal/ssax"
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
	// chanOp marks a channel's state: closes write it, sends read it.
	chanOp bool
	// cell marks the variable of a callee that holds a copy of its
	// parameter, spilled because a closure captures it (a method's
	// receiver used in a func literal): the path is the parameter's,
	// and a load of the cell gives it back.
	cell bool
}

// access is one read or write of a location inside a context.
type access struct {
	loc     path
	write   bool
	instr   ssa.Instruction
	top     ssa.Instruction // the instruction of the context's top function leading to instr
	exit    bool            // runs at the top function's return (deferred)
	late    bool            // deferred in a callee: runs at the end of top's call
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
	late     bool // deferred in a callee: runs at the end of top's call
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
	// late marks a frame deferred inside a callee: it runs as that
	// callee returns, after the rest of the top function's call.
	late  bool
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
		if !ok || b.cell {
			// A field of a struct-valued parameter's cell is the
			// callee's own copy (a value receiver whose pointer
			// method writes it), not the caller's memory.
			return path{}, false
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
		if b.cell {
			b.cell = false
			return b, true // the spilled parameter itself
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
		if ok && fr.c.spawn != nil && (fr.perInstanceBound(v.Low, d) || fr.perInstanceBound(v.High, d)) {
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
			if prm, ok := storedOnce(v).(*ssa.Parameter); ok && prm.Parent() == v.Parent() {
				// A parameter spilled for a closure: the same memory
				// as the parameter's value.
				if p, ok := fr.resolveDepth(prm, d+1); ok {
					p.cell = true
					return p, true
				}
			}
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
			name = "a new " + types.TypeString(derefType(v.Type()), types.RelativeTo(fr.c.st.pass.Pkg))
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
	case *ssa.MakeMap:
		// A map the root makes and hands to a goroutine as an
		// argument (go flush(m)): its entries are the same memory
		// on both sides.
		if !fr.isRoot() {
			return path{}, false // fresh inside the goroutine or callee
		}
		name := fr.c.st.localName(v.Pos())
		if name == "" {
			name = "a new " + types.TypeString(v.Type(), types.RelativeTo(fr.c.st.pass.Pkg))
		}
		return path{key: "a" + fr.c.st.id(v), name: name, inst: fr.c.perInstance(v), def: v}, true
	case *ssa.Parameter:
		if !fr.isRoot() {
			return path{}, false
		}
		if lockset.IsRangeFuncBody(v.Parent()) {
			// The element a range-over-func body gets: a fresh value
			// for each round, like a range loop's variables.
			name := rangeVarName(v)
			inst := fr.c.spawn != nil && fr.c.spawn.Site != nil && fr.c.spawn.Site.Parent() == v.Parent()
			return path{key: "p:" + v.Name(), name: name, inst: inst}, true
		}
		return path{key: "p:" + v.Name(), name: v.Name(), inst: fr.c.spawn != nil && fr.c.spawn.Site == nil && !isRecv(fr.fn, v), param: true}, true
	case *ssa.FreeVar:
		if !fr.isRoot() {
			return path{}, false
		}
		return path{key: "fv:" + v.Name(), name: v.Name()}, true
	case *ssa.Extract:
		// The second result of a constructor that returns an object
		// and its channel (p, ch := newProducer()) is the object's
		// field: a close of p.files ends a range over ch.
		if call, ok := v.Tuple.(*ssa.Call); ok {
			if j, fi, ok := ssax.ResultField(call.Call.StaticCallee(), v.Index); ok {
				for _, r := range *call.Referrers() {
					obj, ok := r.(*ssa.Extract)
					if !ok || obj.Index != j {
						continue
					}
					var holder ssa.Value = obj // a pointer to the object
					if _, isPtr := obj.Type().Underlying().(*types.Pointer); !isPtr {
						// A struct returned by value, kept in a variable.
						holder = nil
						for _, u := range *obj.Referrers() {
							if st, ok := u.(*ssa.Store); ok && st.Val == obj {
								if a, ok := st.Addr.(*ssa.Alloc); ok && storedOnce(a) == ssa.Value(obj) {
									holder = a
								}
							}
						}
					}
					if holder == nil {
						continue
					}
					if b, ok := fr.resolveDepth(holder, d+1); ok {
						f := fieldName(holder.Type(), fi, true)
						return path{key: b.key + "." + f + "*", name: b.name + "." + f, inst: b.inst, def: b.def, param: b.param}, true
					}
				}
			}
		}
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
	return st.localVars().Of(pos)
}

// localVars indexes the package's assignments, once.
func (st *state) localVars() *names.Locals {
	if st.locals == nil {
		st.locals = names.NewLocals(st.pass.Files)
	}
	return st.locals
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
	name := "a value computed in " + funcDisplay(fr.fn)
	if c, ok := v.(*ssa.Call); ok && c.Call.StaticCallee() != nil {
		name = "the result of " + funcDisplay(c.Call.StaticCallee())
	}
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
	if !ok || b.cell {
		return path{}, false // an element of an array-valued parameter's own copy
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
			if ld, ok := index.(*ssa.UnOp); ok && ld.Op == token.MUL {
				if cell, ok := ld.X.(*ssa.Alloc); ok && fr.c.perInstance(cell) {
					// A per-iteration variable: its value is set where
					// the iteration makes it, not where it is read.
					p.idxDef = cell
				}
			}
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
func wholeScan(index ssa.Value) bool { return ssax.CounterPhi(index) != nil }

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

// perInstanceBound reports whether the slice bound v is computed anew
// by each instance of the spawn: in the root, or handed to the
// goroutine's function (captured or passed) from the spawner's loop
// (go func() { scale(xs[lo:hi]) }() after lo, hi := part(w)).
func (fr *frame) perInstanceBound(v ssa.Value, d int) bool {
	if v == nil {
		return false
	}
	if fr.isRoot() {
		return fr.perInstanceValue(v)
	}
	p, ok := fr.resolveDepth(v, d+1)
	return ok && p.def != nil && (strings.HasPrefix(p.key, "v") || strings.HasPrefix(p.key, "a")) && fr.c.perInstance(p.def)
}

// tupleName returns the variable that result i of the call at lparen is
// assigned to, or "".
func (st *state) tupleName(lparen token.Pos, i int) string {
	return st.localVars().Result(lparen, i)
}

// rangeVarName names parameter p of a range-over-func body by the
// range statement's variable it feeds (for k, v := range seq), or by
// its own name.
func rangeVarName(p *ssa.Parameter) string {
	rs, ok := p.Parent().Syntax().(*ast.RangeStmt)
	if !ok {
		return p.Name()
	}
	for i, q := range p.Parent().Params {
		if q != p {
			continue
		}
		var e ast.Expr
		switch i {
		case 0:
			e = rs.Key
		case 1:
			e = rs.Value
		}
		if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
			return id.Name
		}
	}
	return p.Name()
}
