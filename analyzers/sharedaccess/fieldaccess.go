package sharedaccess

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/lockset"
)

// faccess is one access to a field (or a global) seen by the guard check.
type faccess struct {
	class  string     // "(*pkg.T).f" or "g:pkg.v"
	field  *types.Var // the field, origin for generics; nil for a global
	owner  string     // "(*pkg.T)" for fields
	name   string     // Go expression: "c.hits"
	base   string     // Go expression of the struct: "c"
	write  bool
	elem   bool      // the contents of a map or slice field
	shared bool      // reached from a parameter, a global, or a spawned closure's capture
	root   ssa.Value // the value the field path starts from
	must   []lockset.Lock
	may    []lockset.Lock
	instr  ssa.Instruction
	fn     *ssa.Function
	// init marks a write that only initialises the field: made after
	// checking that the field is nil (if t.m == nil { t.m = ...;
	// t.m[k] = v }).
	init bool
	// promoted marks a field reached through embedded fields only
	// (c.Conn.err with Conn embedded): the outer object's own field.
	promoted bool
}

// sameLockClass reports whether two lock classes may name one mutex:
// equal, or the same mutex field reached through a global and through
// a pointer in the same package ("expvar.vars.keysMu" and
// "(*expvar.Map).keysMu"); never two packages' fields of one name.
func sameLockClass(a, b string) bool {
	if a == b {
		return true
	}
	if oneField(a) && oneField(b) {
		return false // fields of two types: (*p.shard).mu is not (*p.Pipe).mu
	}
	i, j := strings.LastIndex(a, "."), strings.LastIndex(b, ".")
	return i >= 0 && j >= 0 && a[i:] == b[j:] && !strings.HasPrefix(a, "*") && !strings.HasPrefix(b, "*") &&
		classPkg(a) == classPkg(b)
}

// oneField reports whether class names one field of a named type,
// "(*pkg.T).mu", with no path through other fields.
func oneField(class string) bool {
	i := strings.Index(class, ").")
	return strings.HasPrefix(class, "(*") && i > 0 && !strings.Contains(class[i+2:], ".")
}

// classPkg returns the package path that a lock class names its type or
// variable in: "internal/bisect" for "(*internal/bisect.dedup).mu",
// "expvar" for "expvar.vars.keysMu".
func classPkg(class string) string {
	c := strings.TrimLeft(class, "(*")
	slash := strings.LastIndex(c, "/")
	dot := strings.Index(c[slash+1:], ".")
	if dot < 0 {
		return c
	}
	return c[:slash+1+dot]
}

func (a *faccess) holds(class string, write bool) bool {
	for _, l := range a.must {
		if sameLockClass(l.Class, class) && (!write || !l.Read) {
			return true
		}
	}
	return false
}

func (a *faccess) mayHold(class string) bool {
	if a.holds(class, false) {
		return true
	}
	for _, l := range a.may {
		if sameLockClass(l.Class, class) {
			return true
		}
	}
	return false
}

func (a *faccess) holdsAny() bool {
	for _, l := range a.must {
		if !l.Anonymous() && !l.Unknown {
			return true
		}
	}
	return false
}

func hz(a *faccess) string {
	if a.write {
		return "write to"
	}
	return "read of"
}

func vb(write bool) string {
	if write {
		return "writes"
	}
	return "reads"
}

// fieldAccesses returns the field and global accesses of instr.
func (st *state) fieldAccesses(fn *ssa.Function, instr ssa.Instruction) []*faccess {
	var out []*faccess
	add := func(addr ssa.Value, write, elem bool) {
		if a := st.describe(fn, addr, write, elem); a != nil {
			a.instr = instr
			a.init = write && freshInit(instr, addr)
			out = append(out, a)
		}
	}
	switch in := instr.(type) {
	case *ssa.Store:
		switch addr := in.Addr.(type) {
		case *ssa.FieldAddr, *ssa.Global:
			add(addr, true, false)
		case *ssa.IndexAddr:
			if ld, ok := addr.X.(*ssa.UnOp); ok && ld.Op == token.MUL {
				if _, ok := ld.X.Type().Underlying().(*types.Pointer); ok {
					if _, ok := addr.X.Type().Underlying().(*types.Slice); ok {
						add(ld.X, true, true)
					}
				}
			}
		}
	case *ssa.UnOp:
		if in.Op == token.MUL && !ssax.DeadArrayLoad(in) {
			switch in.X.(type) {
			case *ssa.FieldAddr, *ssa.Global:
				add(in.X, false, false)
			}
		}
	case *ssa.MapUpdate:
		if ld, ok := in.Map.(*ssa.UnOp); ok && ld.Op == token.MUL {
			add(ld.X, true, true)
		}
	case *ssa.Lookup:
		if _, ok := in.X.Type().Underlying().(*types.Map); ok {
			if ld, ok := in.X.(*ssa.UnOp); ok && ld.Op == token.MUL {
				add(ld.X, false, true)
			}
		}
	case *ssa.Call:
		if b, ok := in.Call.Value.(*ssa.Builtin); ok && b.Name() == "delete" {
			if ld, ok := in.Call.Args[0].(*ssa.UnOp); ok && ld.Op == token.MUL {
				add(ld.X, true, true)
			}
		}
	}
	return out
}

// describe names the field or global at addr.
func (st *state) describe(fn *ssa.Function, addr ssa.Value, write, elem bool) *faccess {
	switch addr := addr.(type) {
	case *ssa.Global:
		if addr.Pkg == nil || addr.Pkg.Pkg != st.pass.Pkg || strings.HasPrefix(addr.Name(), "init$") {
			return nil
		}
		return &faccess{class: "g:" + addr.Pkg.Pkg.Path() + "." + addr.Name(), name: addr.Name(), write: write, elem: elem, shared: true, fn: fn}
	case *ssa.FieldAddr:
		t := types.Unalias(addr.X.Type())
		p, ok := t.Underlying().(*types.Pointer)
		if !ok {
			return nil
		}
		n, ok := types.Unalias(p.Elem()).(*types.Named)
		if !ok || n.Obj().Pkg() == nil {
			return nil
		}
		n = n.Origin()
		stt, ok := n.Underlying().(*types.Struct)
		if !ok || addr.Field >= stt.NumFields() {
			return nil
		}
		f := stt.Field(addr.Field)
		if syncapi.IsSyncType(f.Type()) {
			return nil
		}
		owner := "(*" + n.Obj().Pkg().Path() + "." + n.Obj().Name() + ")"
		base := exprName(addr.X, 0)
		if a, ok := addr.X.(*ssa.Alloc); ok && base == "_" {
			if n := st.localName(a.Pos()); n != "" {
				base = n
			}
		}
		return &faccess{
			class: owner + "." + f.Name(), field: f, owner: owner,
			name: base + "." + f.Name(), base: base, write: write, elem: elem,
			shared: st.sharedBase(fn, addr.X, 0), fn: fn, root: rootOf(addr.X),
			promoted: viaEmbedded(addr.X),
		}
	}
	return nil
}

// sharedBase reports whether v is reached from a parameter, a global, or
// a variable captured by a closure that runs on a spawned goroutine,
// rather than from a value made in this function.
func (st *state) sharedBase(fn *ssa.Function, v ssa.Value, d int) bool {
	if d > 10 {
		return false
	}
	switch v := v.(type) {
	case *ssa.Parameter:
		return true
	case *ssa.Global:
		return true
	case *ssa.FreeVar:
		return st.g.OnGoroutine(fn)
	case *ssa.Alloc:
		// A parameter that a closure captures lives in a cell.
		if val := ssax.SoleStore(v); val != nil {
			return st.sharedBase(fn, val, d+1)
		}
	case *ssa.FieldAddr:
		return st.sharedBase(fn, v.X, d+1)
	case *ssa.Field:
		return st.sharedBase(fn, v.X, d+1)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return st.sharedBase(fn, v.X, d+1)
		}
	case *ssa.IndexAddr:
		return st.sharedBase(fn, v.X, d+1)
	case *ssa.ChangeType:
		return st.sharedBase(fn, v.X, d+1)
	case *ssa.Phi:
		for _, e := range v.Edges {
			if !st.sharedBase(fn, e, d+1) {
				return false
			}
		}
		return len(v.Edges) > 0
	}
	return false
}

// exprName renders an address path in Go syntax.
func exprName(v ssa.Value, d int) string {
	if d > 8 {
		return "_"
	}
	switch v := v.(type) {
	case *ssa.Parameter:
		return v.Name()
	case *ssa.FreeVar:
		return v.Name()
	case *ssa.Global:
		return v.Name()
	case *ssa.Alloc:
		if v.Comment != "" && !strings.ContainsAny(v.Comment, " ") && v.Comment != "complit" && v.Comment != "new" {
			return v.Comment
		}
	case *ssa.FieldAddr:
		return exprName(v.X, d+1) + "." + fieldName(v.X.Type(), v.Field, true)
	case *ssa.Field:
		return exprName(v.X, d+1) + "." + fieldName(v.X.Type(), v.Field, false)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return exprName(v.X, d+1)
		}
	case *ssa.IndexAddr:
		return exprName(v.X, d+1) + "[...]"
	case *ssa.ChangeType:
		return exprName(v.X, d+1)
	}
	return "_"
}

func (st *state) atomicClass(class string) bool {
	if st.atomicClasses == nil {
		st.atomicClasses = map[string]bool{}
		for _, fn := range st.ssa.SrcFuncs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					c, ok := instr.(ssa.CallInstruction)
					if !ok {
						continue
					}
					callee := c.Common().StaticCallee()
					if callee == nil || !atomicCall(callee, syncapi.Func(callee)) || len(c.Common().Args) == 0 {
						continue
					}
					if a := st.describe(fn, c.Common().Args[0], false, false); a != nil {
						st.atomicClasses[a.class] = true
						if st.atomicSites == nil {
							st.atomicSites = map[string]ssa.Instruction{}
						}
						if st.atomicSites[a.class] == nil {
							st.atomicSites[a.class] = instr
						}
						if st.atomicFuncs == nil {
							st.atomicFuncs = map[string][]*ssa.Function{}
						}
						st.atomicFuncs[a.class] = append(st.atomicFuncs[a.class], fn)
					}
				}
			}
		}
	}
	return st.atomicClasses[class]
}

// direct reports whether the access is to a field of a parameter or
// receiver itself (c.f), or to a global, rather than through another
// object (c.conn.f).
func (a *faccess) direct() bool {
	return a.owner == "" || !strings.ContainsAny(a.base, ".[")
}

// viaEmbedded reports whether v, the struct pointer a field address
// starts from, is reached from a parameter, free variable or global
// through embedded fields only (c.Conn in c.Conn.err, where Conn is
// embedded): the field is one of the outer object's promoted fields.
func viaEmbedded(v ssa.Value) bool {
	hops := 0
	for i := 0; i < 8; i++ {
		switch x := v.(type) {
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return false
			}
			v = x.X
		case *ssa.FieldAddr:
			if !embeddedField(x.X.Type(), x.Field) {
				return false
			}
			v, hops = x.X, hops+1
		case *ssa.Field:
			if !embeddedField(x.X.Type(), x.Field) {
				return false
			}
			v, hops = x.X, hops+1
		case *ssa.Parameter, *ssa.FreeVar, *ssa.Global:
			return hops > 0
		default:
			return false
		}
	}
	return false
}

// embeddedField reports whether field i of the struct t (or *t) is
// embedded.
func embeddedField(t types.Type, i int) bool {
	t = types.Unalias(t)
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	st, ok := t.Underlying().(*types.Struct)
	return ok && i < st.NumFields() && st.Field(i).Anonymous()
}
