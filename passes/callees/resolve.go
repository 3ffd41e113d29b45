package callees

import (
	"go/token"
	"go/types"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// maxTargets is the most functions a call through a function value may
// reach for its locks to count: beyond it the call is treated as unknown.
const maxTargets = 4

// dynamic resolves calls that have no static callee, inside one package:
// method calls on an interface declared in the package that exactly one
// type of the package implements, and calls of function values that
// flow, through struct fields and parameters, from functions and
// closures of the package.
type dynamic struct {
	pkg   *types.Package
	prog  *ssa.Program
	impls map[*types.Named][]types.Type // interface -> implementing types (T or *T), closed interfaces only
	// The one concrete type that every store of an unexported
	// interface-typed field holds, and that every return of a function
	// with an interface result gives (nil: several or unknown).
	fieldType  map[*types.Var]types.Type
	elemType   map[elemKey]types.Type // the same for the keys and elements of container fields
	resultType map[*ssa.Function]types.Type
	direct     map[node][]*ssa.Function // flow node -> functions stored there
	edges      map[node][]node          // flow node -> nodes whose values flow in
	mu         sync.Mutex               // guards memo: analyzers of one package share the resolver
	memo       map[node][]*ssa.Function
}

// ClosedInterface reports whether the calls that package pkg makes
// through interface n can reach only implementations that pkg declares,
// so that the package's only implementation is the callee: n is
// unexported, or pkg cannot be imported (a main package, or n is
// declared in a _test.go file). An exported interface of an importable
// package is implemented by its users too (testify's TestingT by
// *testing.T), whatever the package itself declares.
func ClosedInterface(n *types.Named, pkg *types.Package, fset *token.FileSet) bool {
	obj := n.Obj()
	if obj.Pkg() != pkg {
		return false
	}
	if !obj.Exported() || pkg.Name() == "main" {
		return true
	}
	f := fset.File(obj.Pos())
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
}

func newDynamic(pkg *types.Package, fset *token.FileSet, prog *ssa.Program, funcs []*ssa.Function) *dynamic {
	d := &dynamic{pkg: pkg, prog: prog, impls: map[*types.Named][]types.Type{},
		direct: map[node][]*ssa.Function{}, edges: map[node][]node{}, memo: map[node][]*ssa.Function{}}
	// Implementations of the package's interfaces by its own types.
	scope := pkg.Scope()
	var concrete []*types.Named
	var ifaces []*types.Named
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		n, ok := tn.Type().(*types.Named)
		if !ok || n.TypeParams().Len() > 0 {
			continue
		}
		if _, ok := n.Underlying().(*types.Interface); ok {
			if ClosedInterface(n, pkg, fset) {
				ifaces = append(ifaces, n)
			}
		} else {
			concrete = append(concrete, n)
		}
	}
	for _, it := range ifaces {
		iface := it.Underlying().(*types.Interface)
		if iface.NumMethods() == 0 {
			continue
		}
		for _, n := range concrete {
			var t types.Type
			switch {
			case types.Implements(n, iface):
				t = n
			case types.Implements(types.NewPointer(n), iface):
				t = types.NewPointer(n)
			default:
				continue
			}
			if forwards(prog, t, iface) {
				continue // a wrapper around an embedded interface
			}
			d.impls[it] = append(d.impls[it], t)
		}
	}
	d.findKnownTypes(funcs)
	d.findElemTypes(funcs)
	// Function values flowing into fields and parameters.
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case *ssa.Store:
					if !isFunc(instr.Val.Type()) {
						continue
					}
					if fa, ok := instr.Addr.(*ssa.FieldAddr); ok {
						if n, ok := fieldNode(fa.X.Type(), fa.Field, true); ok {
							d.flow(n, instr.Val)
						}
					} else if n, ok := elemStore(instr.Addr); ok {
						d.flow(n, instr.Val)
					}
				case *ssa.MapUpdate:
					if isFunc(instr.Value.Type()) {
						if n, ok := loadedField(instr.Map); ok {
							d.flow(n, instr.Value)
						}
					}
				case ssa.CallInstruction:
					common := instr.Common()
					var callee *ssa.Function
					args := common.Args
					if common.IsInvoke() {
						callee = d.invokeTarget(common)
					} else {
						callee = common.StaticCallee()
						if callee != nil && callee.Signature.Recv() != nil {
							args = args[1:]
						}
					}
					if callee == nil || callee.Pkg == nil || callee.Pkg.Pkg != pkg {
						continue
					}
					for i, a := range args {
						if isFunc(a.Type()) {
							d.flow(node{fn: callee, param: i}, a)
						}
					}
				}
			}
		}
	}
	return d
}

// forwards reports whether t implements iface only by promoting the
// methods of an embedded interface field.
func forwards(prog *ssa.Program, t types.Type, iface *types.Interface) bool {
	mset := prog.MethodSets.MethodSet(t)
	for i := 0; i < iface.NumMethods(); i++ {
		sel := mset.Lookup(iface.Method(i).Pkg(), iface.Method(i).Name())
		if sel == nil {
			return true
		}
		if len(sel.Index()) > 1 {
			if _, ok := sel.Obj().Type().(*types.Signature).Recv().Type().Underlying().(*types.Interface); ok {
				return true
			}
		}
	}
	return false
}

func isFunc(t types.Type) bool {
	_, ok := t.Underlying().(*types.Signature)
	return ok
}

// node is a place function values flow through: a struct field
// (generic fields by their origin) or the i-th parameter of a function
// (the receiver not counted).
type node struct {
	field *types.Var
	fn    *ssa.Function
	param int
}

// fieldNode returns the node of field i of the struct t (ptr: that t
// points to), or false.
func fieldNode(t types.Type, i int, ptr bool) (node, bool) {
	t = types.Unalias(t)
	if ptr {
		p, ok := t.Underlying().(*types.Pointer)
		if !ok {
			return node{}, false
		}
		t = types.Unalias(p.Elem())
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return node{}, false
	}
	return node{field: st.Field(i).Origin()}, true
}

// flow records that the value v flows into node.
func (d *dynamic) flow(n node, v ssa.Value) {
	d.flowSeen(n, v, nil)
}

// flowSeen is flow with the phis already followed: phis of a loop refer
// to each other.
func (d *dynamic) flowSeen(n node, v ssa.Value, seen map[*ssa.Phi]bool) {
	switch v := v.(type) {
	case *ssa.Function:
		d.direct[n] = append(d.direct[n], v)
	case *ssa.MakeClosure:
		if fn, ok := v.Fn.(*ssa.Function); ok {
			d.direct[n] = append(d.direct[n], d.unwrap(fn))
		}
	case *ssa.ChangeType:
		d.flowSeen(n, v.X, seen)
	case *ssa.Phi:
		if seen[v] {
			return
		}
		if seen == nil {
			seen = map[*ssa.Phi]bool{}
		}
		seen[v] = true
		for _, e := range v.Edges {
			d.flowSeen(n, e, seen)
		}
	default:
		if src, ok := d.source(v); ok {
			d.edges[n] = append(d.edges[n], src)
		}
	}
}

// loadedField returns the node of the field that v is loaded from
// (*p.f, or p.f of a struct value): the field that holds a slice or map
// of function values, whose elements share its node.
func loadedField(v ssa.Value) (node, bool) {
	switch v := v.(type) {
	case *ssa.UnOp:
		if fa, ok := v.X.(*ssa.FieldAddr); ok && v.Op == token.MUL {
			return fieldNode(fa.X.Type(), fa.Field, true)
		}
	case *ssa.Field:
		return fieldNode(v.X.Type(), v.Field, false)
	}
	return node{}, false
}

// elemStore returns the field node of a store of a function value into
// an element: of a slice field (p.fs[i] = f), or of the array that
// append's variadic arguments are built in when the result goes back
// into a field (p.fs = append(p.fs, f)).
func elemStore(addr ssa.Value) (node, bool) {
	ia, ok := addr.(*ssa.IndexAddr)
	if !ok {
		return node{}, false
	}
	if n, ok := loadedField(ia.X); ok {
		return n, true
	}
	arr, ok := ia.X.(*ssa.Alloc)
	if !ok || arr.Referrers() == nil {
		return node{}, false
	}
	for _, r := range *arr.Referrers() {
		sl, ok := r.(*ssa.Slice)
		if !ok || sl.Referrers() == nil {
			continue
		}
		for _, sr := range *sl.Referrers() {
			call, ok := sr.(*ssa.Call)
			if !ok || len(call.Call.Args) != 2 || call.Call.Args[1] != sl {
				continue
			}
			if b, ok := call.Call.Value.(*ssa.Builtin); !ok || b.Name() != "append" || call.Referrers() == nil {
				continue
			}
			for _, cr := range *call.Referrers() {
				if st, ok := cr.(*ssa.Store); ok && st.Val == call {
					if fa, ok := st.Addr.(*ssa.FieldAddr); ok {
						return fieldNode(fa.X.Type(), fa.Field, true)
					}
				}
			}
		}
	}
	return node{}, false
}

// source returns the flow node a value is read from, or false.
func (d *dynamic) source(v ssa.Value) (node, bool) {
	switch v := v.(type) {
	case *ssa.UnOp:
		if fa, ok := v.X.(*ssa.FieldAddr); ok {
			return fieldNode(fa.X.Type(), fa.Field, true)
		}
		if ia, ok := v.X.(*ssa.IndexAddr); ok && v.Op == token.MUL {
			return loadedField(ia.X) // an element of a slice field
		}
	case *ssa.Lookup:
		return loadedField(v.X) // an entry of a map field
	case *ssa.Extract:
		// for _, f := range p.fs over a map field.
		if next, ok := v.Tuple.(*ssa.Next); ok && v.Index == 2 && !next.IsString {
			if rng, ok := next.Iter.(*ssa.Range); ok {
				return loadedField(rng.X)
			}
		}
	case *ssa.Field:
		return fieldNode(v.X.Type(), v.Field, false)
	case *ssa.Parameter:
		fn := v.Parent()
		params := fn.Params
		if fn.Signature.Recv() != nil {
			params = params[1:]
		}
		for i, p := range params {
			if p == v {
				return node{fn: fn, param: i}, true
			}
		}
	case *ssa.ChangeType:
		return d.source(v.X)
	}
	return node{}, false
}

// unwrap returns the method a bound-method wrapper calls.
func (d *dynamic) unwrap(fn *ssa.Function) *ssa.Function {
	if m := ssax.WrappedMethod(fn); m != nil {
		return m
	}
	return fn
}

// targets returns the functions that a node may hold, or nil when there
// are more than maxTargets.
func (d *dynamic) targets(start node) []*ssa.Function {
	d.mu.Lock()
	t, ok := d.memo[start]
	d.mu.Unlock()
	if ok {
		return t
	}
	seen := map[node]bool{}
	set := map[*ssa.Function]bool{}
	var walk func(n node)
	walk = func(n node) {
		if seen[n] {
			return
		}
		seen[n] = true
		for _, f := range d.direct[n] {
			set[f] = true
		}
		for _, m := range d.edges[n] {
			walk(m)
		}
	}
	walk(start)
	var out []*ssa.Function
	for f := range set {
		out = append(out, f)
	}
	if len(out) > maxTargets {
		out = nil
	}
	sort.Slice(out, func(i, j int) bool { return out[i].RelString(nil) < out[j].RelString(nil) })
	d.mu.Lock()
	d.memo[start] = out
	d.mu.Unlock()
	return out
}

// invokeTarget returns the only method an interface call can reach in
// the package: the dynamic type of the receiver is known (see
// knownType), or the interface is closed (see ClosedInterface) and one
// type of the package implements it.
func (d *dynamic) invokeTarget(common *ssa.CallCommon) *ssa.Function {
	impl := d.knownType(common.Value)
	if impl == nil {
		n, ok := types.Unalias(common.Value.Type()).(*types.Named)
		if !ok || n.Obj().Pkg() != d.pkg {
			return nil
		}
		impls := d.impls[n]
		if len(impls) != 1 {
			return nil
		}
		impl = impls[0]
	}
	sel := d.prog.MethodSets.MethodSet(impl).Lookup(common.Method.Pkg(), common.Method.Name())
	if sel == nil {
		return nil
	}
	fn := d.prog.MethodValue(sel)
	if fn == nil || fn.Synthetic != "" {
		return nil
	}
	return fn
}

// findKnownTypes fills fieldType and resultType.
func (d *dynamic) findKnownTypes(funcs []*ssa.Function) {
	d.fieldType = map[*types.Var]types.Type{}
	d.resultType = map[*ssa.Function]types.Type{}
	open := map[*types.Var]bool{}
	note := func(f *types.Var, v ssa.Value) {
		if c, ok := v.(*ssa.Const); ok && c.IsNil() {
			return
		}
		t := concreteOf(v)
		switch prev, seen := d.fieldType[f]; {
		case t == nil || seen && !types.Identical(prev, t):
			open[f] = true
		case !seen:
			d.fieldType[f] = t
		}
	}
	for _, fn := range funcs {
		var ret types.Type
		retOK := fn.Signature.Results().Len() == 1 && types.IsInterface(fn.Signature.Results().At(0).Type())
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case *ssa.Store:
					fa, ok := instr.Addr.(*ssa.FieldAddr)
					if !ok || !types.IsInterface(instr.Val.Type()) {
						continue
					}
					if f := structField(fa.X.Type(), fa.Field); f != nil && !f.Exported() && f.Pkg() == d.pkg {
						note(f.Origin(), instr.Val)
					}
				case *ssa.Return:
					if !retOK || len(instr.Results) != 1 {
						continue
					}
					t := concreteOf(instr.Results[0])
					if t == nil || ret != nil && !types.Identical(ret, t) {
						retOK = false
						continue
					}
					ret = t
				}
			}
		}
		if retOK && ret != nil {
			d.resultType[fn] = ret
		}
	}
	for f := range open {
		delete(d.fieldType, f)
	}
}

// concreteOf returns the concrete type that an interface value was made
// from, or nil.
func concreteOf(v ssa.Value) types.Type {
	mi, ok := v.(*ssa.MakeInterface)
	if !ok || types.IsInterface(mi.X.Type()) {
		return nil
	}
	return mi.X.Type()
}

// structField returns field i of the struct that ptr points to.
func structField(ptr types.Type, i int) *types.Var {
	p, ok := types.Unalias(ptr).Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	st, ok := p.Elem().Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return nil
	}
	return st.Field(i)
}

// knownType returns the dynamic type of the interface value v when the
// package determines it: made here from a concrete value, loaded from
// an unexported field that every store fills with one type, or returned
// by a function of the package that always returns one type.
func (d *dynamic) knownType(v ssa.Value) types.Type {
	switch v := v.(type) {
	case *ssa.MakeInterface:
		return concreteOf(v)
	case *ssa.UnOp:
		if v.Op != token.MUL {
			return nil
		}
		if fa, ok := v.X.(*ssa.FieldAddr); ok {
			if f := structField(fa.X.Type(), fa.Field); f != nil {
				return d.fieldType[f.Origin()]
			}
		}
	case *ssa.Call:
		if callee := v.Call.StaticCallee(); callee != nil {
			return d.resultType[callee]
		}
	}
	return d.elemKnownType(v)
}

// callees returns the functions a call without a static callee may
// reach, and whether it is an interface call with one implementation
// (whose receiver is common.Value).
func (d *dynamic) callees(common *ssa.CallCommon) ([]*ssa.Function, bool) {
	if d == nil {
		return nil, false
	}
	if common.IsInvoke() {
		if fn := d.invokeTarget(common); fn != nil {
			return []*ssa.Function{fn}, true
		}
		return nil, false
	}
	if common.StaticCallee() != nil {
		return nil, false
	}
	if _, ok := common.Value.(*ssa.MakeClosure); ok {
		return nil, false
	}
	if body := YieldArg(common); body != nil {
		// The iterator of a range-over-func loop runs the loop's body
		// inside this call, on this goroutine.
		return []*ssa.Function{body}, false
	}
	var set []*ssa.Function
	if fn, ok := common.Value.(*ssa.Function); ok {
		return []*ssa.Function{fn}, false
	}
	if src, ok := d.source(common.Value); ok {
		set = d.targets(src)
	}
	return set, false
}

// YieldArg returns the body of the range-over-func loop whose iterator
// common calls (the argument that go/ssa makes from the loop's body),
// or nil.
func YieldArg(common *ssa.CallCommon) *ssa.Function {
	for _, a := range common.Args {
		if mc, ok := a.(*ssa.MakeClosure); ok {
			if f, ok := mc.Fn.(*ssa.Function); ok && f.Synthetic == "range-over-func yield" {
				return f
			}
		}
	}
	return nil
}
