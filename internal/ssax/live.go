package ssax

import (
	"go/constant"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// LiveBlocks returns the blocks of f that can run when it is called with
// args, given the branches that test a boolean parameter passed as a
// constant (directly or negated) or compare with nil a parameter passed
// as nil, or nil when no argument decides one.
func LiveBlocks(f *ssa.Function, args []ssa.Value) map[*ssa.BasicBlock]bool {
	consts := map[ssa.Value]bool{}
	nils := map[ssa.Value]bool{}
	zeros := map[ssa.Value]bool{} // struct parameters passed as T{}
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
			case k.Value == nil:
				if _, isStruct := k.Type().Underlying().(*types.Struct); isStruct {
					zeros[p] = true
				}
			}
		}
	}
	// Boolean fields of a struct literal passed by address (or by
	// value) that the caller never sets, or sets to one constant.
	fields := map[ssa.Value]map[string]bool{}
	for i, p := range f.Params {
		if i >= len(args) {
			break
		}
		if known := literalBools(args[i], 0); len(known) > 0 {
			fields[p] = known
		}
	}
	if len(consts)+len(nils)+len(fields)+len(zeros) == 0 || len(f.Blocks) == 0 {
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
			if _, ok := x.(*ssa.Const); ok {
				x, y = y, x
			}
			if k, ok := y.(*ssa.Const); ok {
				if v, _, ok := fieldOfParam(x); ok && zeros[v] {
					// A field of T{} holds its zero value: o.Name != ""
					// is false.
					if isZero, known := zeroConst(k); known {
						return (bin.Op == token.EQL) == isZero != neg, true
					}
				}
			}
			return false, false
		}
		if v, k, ok := fieldOfParam(cond); ok {
			if b, ok := fields[v][k]; ok {
				return b != neg, true
			}
			if zeros[v] {
				return neg, true // a bool field of T{}: false
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
// passed as arg (&v, or v loaded), by field path (the fields of struct
// fields too, as a nested literal fills them): each field never
// assigned is false, each assigned only one constant is that. The
// variable must go nowhere but into its field stores and the argument;
// else nil.
func literalBools(arg ssa.Value, depth int) map[string]bool {
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
	set := map[string][]ssa.Value{}
	subs := map[string]map[string]bool{} // literals copied whole into a field
	uses := 0
	// fieldStores adds the stores into the field r of the literal (and
	// into the fields of a struct field, nested literals being filled in
	// place), keyed by field path; false when an address goes anywhere
	// else.
	var fieldStores func(r *ssa.FieldAddr, prefix string) bool
	fieldStores = func(r *ssa.FieldAddr, prefix string) bool {
		path := prefix + strconv.Itoa(r.Field)
		for _, fr := range *r.Referrers() {
			switch fr := fr.(type) {
			case *ssa.Store:
				if fr.Addr == r {
					set[path] = append(set[path], fr.Val)
					if ld, ok := fr.Val.(*ssa.UnOp); ok && ld.Op == token.MUL && depth < 3 {
						// A nested literal built in its own cell
						// and copied in: its own fields decide.
						if _, isAlloc := ld.X.(*ssa.Alloc); isAlloc {
							if sub := literalBools(ld, depth+1); sub != nil {
								subs[path] = sub
							}
						}
					}
				}
			case *ssa.UnOp:
				if fr.Op != token.MUL {
					return false
				}
			case *ssa.FieldAddr:
				if !fieldStores(fr, path+".") {
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
					if !fieldStores(lr, "") {
						return nil
					}
				case *ssa.UnOp, *ssa.DebugRef:
				default:
					return nil
				}
			}
		case *ssa.FieldAddr:
			if !fieldStores(r, "") {
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
	out := map[string]bool{}
	boolFields(st, "", 0, func(path string) {
		for q := path; ; {
			i := strings.LastIndexByte(q, '.')
			if i < 0 {
				break
			}
			q = q[:i]
			if len(set[q]) > 0 {
				// The enclosing struct is assigned whole: known
				// only from the one literal copied in.
				if sub, ok := subs[q]; ok && len(set[q]) == 1 {
					if v, ok := sub[path[len(q)+1:]]; ok {
						out[path] = v
					}
				}
				return
			}
		}
		v, known := false, true
		for j, x := range set[path] {
			k, ok := x.(*ssa.Const)
			if !ok || k.Value == nil || k.Value.Kind() != constant.Bool || j > 0 && constant.BoolVal(k.Value) != v {
				known = false
				break
			}
			v = constant.BoolVal(k.Value)
		}
		if known {
			out[path] = v
		}
	})
	return out
}

// boolFields calls f with the path of each boolean field of st, and of
// the structs it holds by value (embedded ones among them), a few
// levels deep.
func boolFields(st *types.Struct, prefix string, depth int, f func(path string)) {
	for i := 0; i < st.NumFields(); i++ {
		path := prefix + strconv.Itoa(i)
		switch t := st.Field(i).Type().Underlying().(type) {
		case *types.Basic:
			if t.Info()&types.IsBoolean != 0 {
				f(path)
			}
		case *types.Struct:
			if depth < 3 {
				boolFields(t, path+".", depth+1, f)
			}
		}
	}
}

// zeroConst reports whether k is the zero value of its type, and
// whether that is known (a basic constant or nil).
func zeroConst(k *ssa.Const) (bool, bool) {
	if k.IsNil() {
		return true, true
	}
	if k.Value == nil {
		return false, false
	}
	switch k.Value.Kind() {
	case constant.String:
		return constant.StringVal(k.Value) == "", true
	case constant.Bool:
		return !constant.BoolVal(k.Value), true
	case constant.Int, constant.Float:
		return constant.Sign(k.Value) == 0, true
	}
	return false, false
}

// fieldOfParam returns the parameter and the field path ("0", "2.1":
// field indices, outermost first) of cond when it reads a field of a
// parameter, a field of a field among them: p.f.g of a struct value,
// *(&p.f.g) of a pointer, or the same through the parameter's spill or
// a copy of it in a new object's field.
func fieldOfParam(cond ssa.Value) (ssa.Value, string, bool) {
	var idx []int
	switch c := cond.(type) {
	case *ssa.Field:
		var x ssa.Value = c
		for {
			f, ok := x.(*ssa.Field)
			if !ok {
				break
			}
			idx = append(idx, f.Field)
			x = f.X
		}
		if p, ok := x.(*ssa.Parameter); ok {
			return p, fieldPath(idx), true
		}
	case *ssa.UnOp:
		if c.Op != token.MUL {
			break
		}
		var x ssa.Value = c.X
		var last *ssa.FieldAddr
		for {
			fa, ok := x.(*ssa.FieldAddr)
			if !ok {
				break
			}
			idx = append(idx, fa.Field)
			last, x = fa, fa.X
		}
		if last == nil {
			break
		}
		switch base := x.(type) {
		case *ssa.Parameter:
			return base, fieldPath(idx), true
		case *ssa.Alloc:
			if p := readOnlySpill(base); p != nil {
				return p, fieldPath(idx), true
			}
			if len(idx) > 1 {
				if p := copiedParam(last, c); p != nil {
					return p, fieldPath(idx[:len(idx)-1]), true
				}
			}
		}
	}
	return nil, "", false
}

// fieldPath renders field indices collected innermost first as a path,
// outermost first.
func fieldPath(idx []int) string {
	var b strings.Builder
	for i := len(idx) - 1; i >= 0; i-- {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.Itoa(idx[i]))
	}
	return b.String()
}

// copiedParam returns the parameter that the field fb of a new object
// holds at instruction at, when the function stored the parameter into
// that field once (a := &app{cfg: c}), stores nothing else into it or
// into any part of it, and has not let the object out before at: a
// field of a.cfg is then the same field of c.
func copiedParam(fb *ssa.FieldAddr, at ssa.Instruction) *ssa.Parameter {
	a, ok := fb.X.(*ssa.Alloc)
	if !ok || a.Referrers() == nil {
		return nil
	}
	var p *ssa.Parameter
	for _, r := range *a.Referrers() {
		f, ok := r.(*ssa.FieldAddr)
		if !ok || f.Field != fb.Field {
			continue
		}
		for _, fr := range *f.Referrers() {
			switch fr := fr.(type) {
			case *ssa.Store:
				q, ok := fr.Val.(*ssa.Parameter)
				if ld, isLoad := fr.Val.(*ssa.UnOp); isLoad && ld.Op == token.MUL {
					if spill, isAlloc := ld.X.(*ssa.Alloc); isAlloc {
						q = readOnlySpill(spill) // the parameter, spilled
						ok = q != nil
					}
				}
				if !ok || fr.Addr != f || p != nil || !Dominates(fr, at) {
					return nil
				}
				p = q
			case *ssa.UnOp:
				if fr.Op != token.MUL {
					return nil
				}
			case *ssa.FieldAddr:
				if !onlyRead(fr) { // a.cfg.Enabled, a.cfg.Sampler.Enabled
					return nil
				}
			case *ssa.DebugRef:
			default:
				return nil // its address goes elsewhere
			}
		}
	}
	if p == nil || !Unpublished(a, at) {
		return nil
	}
	return p
}

// onlyRead reports whether the field address fa, and those of its own
// fields, are only loaded from.
func onlyRead(fa *ssa.FieldAddr) bool {
	if fa.Referrers() == nil {
		return true
	}
	for _, r := range *fa.Referrers() {
		switch r := r.(type) {
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return false
			}
		case *ssa.FieldAddr:
			if !onlyRead(r) {
				return false
			}
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}

// readOnlySpill returns the parameter that the local a holds when a is
// the parameter's spill (its one store) and the function only reads
// it (its fields, or the whole value); else nil.
func readOnlySpill(a *ssa.Alloc) *ssa.Parameter {
	if a.Referrers() == nil {
		return nil
	}
	var p *ssa.Parameter
	for _, r := range *a.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			q, ok := r.Val.(*ssa.Parameter)
			if !ok || r.Addr != a || p != nil {
				return nil
			}
			p = q
		case *ssa.FieldAddr:
			if !onlyRead(r) {
				return nil
			}
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return nil // (a copy of the whole value is a read)
			}
		case *ssa.DebugRef:
		default:
			return nil
		}
	}
	return p
}
