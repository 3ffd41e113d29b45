package ssax

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// ResultField reports whether result k of f is, wherever f returns a
// non-nil value there, the value of field `field` of the fresh object
// that f returns as result j (a pointer to it, or the struct itself):
// the constructor that hands back an object and one of its channels,
//
//	func newProducer() (*producer, <-chan chunk) {
//		ch := make(chan chunk)
//		return &producer{files: ch}, ch
//	}
//
// Operations on the second result are then operations on the field.
func ResultField(f *ssa.Function, k int) (j, field int, ok bool) {
	if f == nil || f.Blocks == nil || k >= f.Signature.Results().Len() {
		return 0, 0, false
	}
	found := false
	for _, b := range f.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		ret, isRet := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !isRet {
			continue
		}
		x := Unwrap(ret.Results[k], WrapChangeType)
		if c, isConst := x.(*ssa.Const); isConst && c.IsNil() {
			continue // an error path: no channel to confuse
		}
		matched := false
		for jj, r := range ret.Results {
			if load, ok := r.(*ssa.UnOp); ok && load.Op == token.MUL {
				r = load.X // a struct returned by value
			}
			obj, isAlloc := r.(*ssa.Alloc)
			if jj == k || !isAlloc {
				continue
			}
			fi, ok := fieldHolding(obj, x)
			if ok && (!found || jj == j && fi == field) {
				j, field, found, matched = jj, fi, true, true
				break
			}
		}
		if !matched {
			return 0, 0, false
		}
	}
	return j, field, found
}

// fieldHolding returns the field of obj that holds x: x is loaded from
// it, or stored into it and nothing else is stored there in obj's
// function.
func fieldHolding(obj *ssa.Alloc, x ssa.Value) (int, bool) {
	if load, ok := x.(*ssa.UnOp); ok && load.Op == token.MUL {
		if fa, ok := load.X.(*ssa.FieldAddr); ok && fa.X == obj {
			return fa.Field, true
		}
	}
	field, stores := -1, map[int]int{}
	for _, r := range *obj.Referrers() {
		fa, ok := r.(*ssa.FieldAddr)
		if !ok {
			continue
		}
		for _, u := range *fa.Referrers() {
			st, ok := u.(*ssa.Store)
			if !ok || st.Addr != fa {
				continue
			}
			stores[fa.Field]++
			if Unwrap(st.Val, WrapChangeType) == x {
				field = fa.Field
			}
		}
	}
	if field < 0 || stores[field] != 1 {
		return 0, false
	}
	return field, true
}
