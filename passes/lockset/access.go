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

// access is a canonical access path for a value inside one function.
type access struct {
	kind     int    // RefParam, RefGlobal, RefFreeVar, or refLocal
	index    int    // parameter / free variable index
	root     string // key of the root
	rootName string // Go name of the root
	// rootClass is the class of the root itself when it has one
	// (a global, a named local variable); empty otherwise.
	rootClass string
	steps     []string // field names, "*", "[k]"
	// fieldClass is the class of the last field step: "(*T).f".
	fieldClass string
	// fieldStep is the index in steps of that field step, or -1.
	fieldStep int
	// segOwner and segFields describe the last segment of the path (the
	// steps after the last pointer load): segOwner is "(*pkg.T)" for the
	// struct type its first field belongs to, or the root's class for a
	// global or named local with no load; segFields are its field names.
	segOwner  string
	segFields []string
	// spill is set for a local variable that only ever holds one value
	// (a parameter captured by a closure is spilled to such a variable):
	// loading from it yields spill.
	spill *access
	// val is the SSA value at the root of a local access.
	val ssa.Value
	// ctor, for the result of a call to a constructor of the package,
	// maps the fields it fills from arguments to those arguments.
	ctor map[string]ssa.Value
}

const refLocal = 4 // a root local to the function: not nameable by callers

func (a *access) key() string {
	return a.root + "/" + strings.Join(a.steps, "/")
}

func (a *access) name() string {
	var b strings.Builder
	b.WriteString(a.rootName)
	for _, s := range a.steps {
		switch {
		case s == "*":
		case strings.HasPrefix(s, "["):
			b.WriteString(s)
		default:
			b.WriteString("." + s)
		}
	}
	return b.String()
}

// class is the lock class; mutexType names the anonymous fallback.
func (a *access) class(mutexType string) string {
	if a.segOwner != "" && len(a.segFields) > 0 {
		return a.segOwner + "." + strings.Join(a.segFields, ".")
	}
	if a.fieldClass != "" {
		return a.fieldClass
	}
	if a.rootClass != "" && len(a.steps) == 0 {
		return a.rootClass
	}
	return "*" + mutexType
}

func (a *access) with(step string) *access {
	if step == "*" && a.spill != nil && len(a.steps) == 0 {
		return a.spill
	}
	b := *a
	b.spill = nil
	b.steps = append(append([]string(nil), a.steps...), step)
	if step == "*" {
		b.segOwner, b.segFields = "", nil
	} else if b.segOwner != "" {
		b.segFields = append(append([]string(nil), a.segFields...), step)
	}
	return &b
}

// withField appends a field of struct type owner.
func (a *access) withField(name string, owner types.Type) *access {
	b := a.with(name)
	b.fieldClass = fieldClass(owner, name)
	b.fieldStep = len(b.steps) - 1
	if b.segOwner == "" {
		b.segOwner = strings.TrimSuffix(b.fieldClass, "."+name)
		b.segFields = []string{name}
	}
	return b
}

// accessOf computes the access path of v in fn, memoised in fa.
func (fa *funcAnalysis) accessOf(v ssa.Value) *access {
	if a, ok := fa.accesses[v]; ok {
		if a == nil {
			return fa.opaque(v)
		}
		return a
	}
	fa.accesses[v] = nil // in progress: cycles through phis become opaque
	a := fa.computeAccess(v)
	fa.accesses[v] = a
	return a
}

func (fa *funcAnalysis) computeAccess(v ssa.Value) *access {
	fn := fa.fn
	switch v := v.(type) {
	case *ssa.Parameter:
		for i, p := range fn.Params {
			if p == v {
				return &access{kind: RefParam, index: i, root: fmt.Sprintf("p%d", i), rootName: v.Name(), fieldStep: -1}
			}
		}
	case *ssa.FreeVar:
		for i, p := range fn.FreeVars {
			if p == v {
				return &access{kind: RefFreeVar, index: i, root: fmt.Sprintf("f%d", i), rootName: v.Name(), fieldStep: -1}
			}
		}
	case *ssa.Call:
		// An accessor that always returns the address of one package
		// variable (func Get() *Registry { return &reg }): Get().mu is
		// reg.mu at every call.
		if g := returnsGlobal(v.Call.StaticCallee()); g != nil {
			return fa.accessOf(g)
		}
		return fa.opaque(v)
	case *ssa.Global:
		obj := v.Object()
		path := v.Name()
		if v.Pkg != nil {
			path = v.Pkg.Pkg.Path() + "." + v.Name()
		}
		name := v.Name()
		if obj != nil && obj.Pkg() != nil && obj.Pkg() != fa.pkg {
			name = obj.Pkg().Name() + "." + name
		}
		return &access{kind: RefGlobal, root: "g:" + path, rootName: name, rootClass: path, segOwner: path, fieldStep: -1}
	case *ssa.FieldAddr:
		base := fa.accessOf(v.X)
		st, owner := structOf(v.X.Type(), true)
		if st == nil || v.Field >= st.NumFields() {
			break
		}
		return base.withField(st.Field(v.Field).Name(), owner)
	case *ssa.Field:
		base := fa.accessOf(v.X)
		st, owner := structOf(v.X.Type(), false)
		if st == nil || v.Field >= st.NumFields() {
			break
		}
		return base.withField(st.Field(v.Field).Name(), owner)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return fa.accessOf(v.X).with("*")
		}
	case *ssa.ChangeType:
		return fa.accessOf(v.X)
	case *ssa.ChangeInterface:
		return fa.accessOf(v.X)
	case *ssa.MakeInterface:
		return fa.accessOf(v.X)
	case *ssa.TypeAssert:
		if !v.CommaOk {
			return fa.accessOf(v.X)
		}
	case *ssa.IndexAddr:
		if c, ok := v.Index.(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.Int {
			return fa.accessOf(v.X).with("[" + c.Value.ExactString() + "]")
		}
		return fa.element(v, v.X, v.Index)
	case *ssa.Lookup:
		if !v.CommaOk {
			return fa.element(v, v.X, v.Index)
		}
	case *ssa.Extract:
		if l, ok := v.Tuple.(*ssa.Lookup); ok && v.Index == 0 {
			return fa.element(v, l.X, l.Index)
		}
	case *ssa.Alloc:
		a := &access{kind: refLocal, root: "a:" + v.Name(), rootName: v.Comment, fieldStep: -1, val: v}
		if v.Comment != "" && v.Comment != "complit" && !strings.Contains(v.Comment, " ") {
			a.rootClass = fa.funcPath() + "." + v.Comment
			a.segOwner = a.rootClass
		} else {
			a.rootName = "lock"
		}
		if val := singleStore(v); val != nil {
			a.spill = fa.accessOf(val)
		}
		return a
	case *ssa.Phi:
		var first *access
		for _, e := range v.Edges {
			if e == v {
				continue
			}
			a := fa.accessOf(e)
			if first == nil {
				first = a
			} else if a.key() != first.key() {
				first = nil
				break
			}
		}
		if first != nil {
			return first
		}
	}
	return fa.opaque(v)
}

// element is the access of v, an element of the map or slice container
// chosen by index, a key that is not a constant: an object of its own
// (two lookups by different keys are not known to be the same), whose
// class is that of the container's elements, "(*pkg.T).locks[]", when
// the container is a struct field or a package-level variable. Two
// lookups by the same index value in the same container are the same
// element: m.ws[i].mu.Lock() and m.ws[i].mu.Unlock() name one lock.
func (fa *funcAnalysis) element(v, container, index ssa.Value) *access {
	base := fa.accessOf(container)
	ek := elemKey{container: base.key(), index: indexIdentity(index)}
	if a, ok := fa.elems[ek]; ok {
		return a
	}
	a := fa.elementOf(v, base)
	if fa.elems == nil {
		fa.elems = map[elemKey]*access{}
	}
	fa.elems[ek] = a
	return a
}

// indexIdentity is what names an index value: the value under its
// conversions, or a constant's value.
func indexIdentity(v ssa.Value) any {
	v = ssax.Unwrap(v, ssax.WrapConvert|ssax.WrapChangeType)
	if c, ok := v.(*ssa.Const); ok && c.Value != nil {
		return c.Value.ExactString()
	}
	return v
}

func (fa *funcAnalysis) elementOf(v ssa.Value, base *access) *access {
	a := fa.opaque(v)
	n := len(base.steps)
	switch {
	case base.fieldClass != "" && base.fieldStep >= 0 && base.fieldStep >= n-2:
		a.fieldClass = base.fieldClass + "[]"
	case base.rootClass != "" && base.kind == RefGlobal && n <= 1:
		a.fieldClass = base.rootClass + "[]"
	default:
		return a
	}
	a.rootName = base.name() + "[…]"
	return a
}

// opaque is the access of a value with no path: itself.
func (fa *funcAnalysis) opaque(v ssa.Value) *access {
	name := "lock"
	if c, ok := v.(*ssa.Call); ok {
		if callee := c.Call.StaticCallee(); callee != nil {
			name = callee.Name() + "()"
		} else if c.Call.IsInvoke() {
			name = c.Call.Method.Name() + "()"
		}
	}
	if x, ok := v.(*ssa.Extract); ok {
		// first, second := order(a, b): name each result as the code does.
		if c, ok := x.Tuple.(*ssa.Call); ok {
			if n := fa.r.localVars().Result(c.Call.Pos(), x.Index); n != "" {
				name = n
			}
		}
	}
	a := &access{kind: refLocal, root: "v:" + v.Name(), rootName: name, fieldStep: -1, val: v}
	if c, ok := v.(*ssa.Call); ok {
		if callee := c.Call.StaticCallee(); callee != nil && callee.Pkg != nil && callee.Pkg.Pkg == fa.pkg {
			for f, i := range ctorFields(callee) {
				if i < len(c.Call.Args) {
					if a.ctor == nil {
						a.ctor = map[string]ssa.Value{}
					}
					a.ctor[f] = c.Call.Args[i]
				}
			}
		}
	}
	return a
}

// ctorFields finds, for a function that returns one new struct (or an
// interface holding it), the fields it fills from its parameters, once
// each: field name -> parameter index.
func ctorFields(fn *ssa.Function) map[string]int {
	var alloc *ssa.Alloc
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ret, ok := instr.(*ssa.Return)
			if !ok {
				continue
			}
			if len(ret.Results) == 0 {
				return nil
			}
			v := ret.Results[0]
			if mi, ok := v.(*ssa.MakeInterface); ok {
				v = mi.X
			}
			al, ok := v.(*ssa.Alloc)
			if !ok || (alloc != nil && al != alloc) {
				return nil
			}
			alloc = al
		}
	}
	if alloc == nil || alloc.Referrers() == nil {
		return nil
	}
	st, _ := structOf(alloc.Type(), true)
	if st == nil {
		return nil
	}
	out := map[string]int{}
	stores := map[string]int{}
	for _, r := range *alloc.Referrers() {
		fa, ok := r.(*ssa.FieldAddr)
		if !ok || fa.Referrers() == nil || fa.Field >= st.NumFields() {
			continue
		}
		name := st.Field(fa.Field).Name()
		for _, rr := range *fa.Referrers() {
			store, ok := rr.(*ssa.Store)
			if !ok || store.Addr != fa {
				continue
			}
			stores[name]++
			val := store.Val
			for {
				switch x := val.(type) {
				case *ssa.MakeInterface:
					val = x.X
					continue
				case *ssa.ChangeInterface:
					val = x.X
					continue
				case *ssa.ChangeType:
					val = x.X
					continue
				}
				break
			}
			if p, ok := val.(*ssa.Parameter); ok {
				for i, q := range fn.Params {
					if q == p {
						out[name] = i
					}
				}
			}
		}
	}
	for name := range out {
		if stores[name] != 1 {
			delete(out, name)
		}
	}
	return out
}

// loopVarying reports whether the root value of a local access is
// computed inside a cycle of the control flow graph that contains b: one
// SSA value that names a different object on each iteration (a list
// cursor, an element chosen by the loop index).
func (a *access) loopVarying(b *ssa.BasicBlock) bool {
	instr, ok := a.val.(ssa.Instruction)
	if a.kind != refLocal || !ok || instr.Block() == nil {
		return false
	}
	vb := instr.Block()
	return reaches(b, vb) && reaches(vb, b)
}

// reaches reports whether to can be reached from from by one or more edges.
func reaches(from, to *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{}
	work := append([]*ssa.BasicBlock(nil), from.Succs...)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if b == to {
			return true
		}
		if seen[b] {
			continue
		}
		seen[b] = true
		work = append(work, b.Succs...)
	}
	return false
}

// funcPath is "pkgpath.Func" (or "pkgpath.T.Method") for local classes.
func (fa *funcAnalysis) funcPath() string {
	fn := fa.fn
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	fn = ssax.Origin(fn)
	name := fn.Name()
	if recv := fn.Signature.Recv(); recv != nil {
		_, owner := structOf(recv.Type(), true)
		if n, ok := owner.(*types.Named); ok {
			name = n.Obj().Name() + "." + name
		}
	}
	return fa.pkg.Path() + "." + name
}

// structOf returns the struct type of t (dereferencing a pointer when
// ptr is set) and the type that owns it, generic origin preferred.
func structOf(t types.Type, ptr bool) (*types.Struct, types.Type) {
	if ptr {
		p, ok := types.Unalias(t).Underlying().(*types.Pointer)
		if !ok {
			if tp, ok := types.Unalias(t).(*types.TypeParam); ok {
				if core := coreType(tp); core != nil {
					p, ok = core.(*types.Pointer)
				}
				if !ok {
					return nil, nil
				}
			} else {
				return nil, nil
			}
		}
		t = p.Elem()
	}
	t = types.Unalias(t)
	owner := t
	if n, ok := t.(*types.Named); ok {
		owner = n.Origin()
	}
	st, _ := t.Underlying().(*types.Struct)
	return st, owner
}

func coreType(tp *types.TypeParam) types.Type {
	iface, ok := tp.Underlying().(*types.Interface)
	if !ok || iface.NumEmbeddeds() != 1 {
		return nil
	}
	return iface.EmbeddedType(0).Underlying()
}

func fieldClass(owner types.Type, field string) string {
	if n, ok := owner.(*types.Named); ok && n.Obj().Pkg() != nil {
		return "(*" + n.Obj().Pkg().Path() + "." + n.Obj().Name() + ")." + field
	}
	return "(*" + types.TypeString(owner, nil) + ")." + field
}

// mutexKind returns "sync.Mutex" or "sync.RWMutex" for those named types.
func mutexKind(t types.Type) string {
	return syncapi.LockType(t).String()
}

// embeddedMutexPath finds the field path to a mutex embedded (at any
// depth, breadth first) in struct type t; nil if none.
func embeddedMutexPath(t types.Type) ([]int, string) {
	type item struct {
		t    types.Type
		path []int
	}
	queue := []item{{t, nil}}
	seen := map[types.Type]bool{}
	for len(queue) > 0 && len(queue) < 64 {
		it := queue[0]
		queue = queue[1:]
		if seen[it.t] {
			continue
		}
		seen[it.t] = true
		st, ok := it.t.Underlying().(*types.Struct)
		if !ok {
			continue
		}
		for i := 0; i < st.NumFields(); i++ {
			f := st.Field(i)
			if !f.Embedded() {
				continue
			}
			p := append(append([]int(nil), it.path...), i)
			if k := mutexKind(f.Type()); k != "" {
				return p, k
			}
			queue = append(queue, item{f.Type(), p})
		}
	}
	return nil, ""
}

// singleStore returns the parameter, global or captured variable that
// alloc holds, when it is alloc's sole store (ssax.SoleStore); else nil.
func singleStore(alloc *ssa.Alloc) ssa.Value {
	switch val := ssax.SoleStore(alloc); val.(type) {
	case *ssa.Parameter, *ssa.Global, *ssa.FreeVar:
		return val
	}
	return nil
}

// returnsGlobal returns the package variable whose address fn returns
// on every path (its only result), or nil.
func returnsGlobal(fn *ssa.Function) *ssa.Global {
	if fn == nil || len(fn.Blocks) == 0 || fn.Signature.Results().Len() != 1 || len(fn.Params) > 0 {
		return nil
	}
	var g *ssa.Global
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		v := ret.Results[0]
		if ct, ok := v.(*ssa.ChangeType); ok {
			v = ct.X
		}
		x, ok := v.(*ssa.Global)
		if !ok || g != nil && x != g {
			return nil
		}
		g = x
	}
	return g
}
