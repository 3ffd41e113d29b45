package ssax_test

import (
	"testing"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

const unwrapSrc = `package p

type ID int
type C chan int

func pair() (*int, error) { return nil, nil }

func f(x int, c chan int) (any, int64, C, *int) {
	var i any = ID(x)
	p, _ := pair()
	return i, int64(ID(x)), C(c), p
}
`

func TestUnwrap(t *testing.T) {
	pkg := buildSrc(t, unwrapSrc)
	f := pkg.Func("f")
	var ret *ssa.Return
	for _, b := range f.Blocks {
		for _, instr := range b.Instrs {
			if r, ok := instr.(*ssa.Return); ok {
				ret = r
			}
		}
	}
	if ret == nil {
		t.Fatal("no return in f")
	}
	x, c := f.Params[0], f.Params[1]
	iface, num, ch, ptr := ret.Results[0], ret.Results[1], ret.Results[2], ret.Results[3]

	if got := ssax.Unwrap(iface, ssax.WrapChangeType); got != iface {
		t.Errorf("ssax.Unwrap(any(ID(x)), ChangeType) = %v, want the interface value itself", got)
	}
	if got := ssax.Unwrap(iface, ssax.WrapInterface|ssax.WrapChangeType); got != x {
		t.Errorf("ssax.Unwrap(any(ID(x)), Interface|ChangeType) = %v, want x", got)
	}
	if got := ssax.Unwrap(num, ssax.WrapConvert); got == x || got == num {
		t.Errorf("ssax.Unwrap(int64(ID(x)), Convert) = %v, want ID(x)", got)
	}
	if got := ssax.Unwrap(num, ssax.WrapConvert|ssax.WrapChangeType); got != x {
		t.Errorf("ssax.Unwrap(int64(ID(x)), Convert|ChangeType) = %v, want x", got)
	}
	if got := ssax.Unwrap(ch, ssax.WrapChangeType); got != c {
		t.Errorf("ssax.Unwrap(C(c), ChangeType) = %v, want c", got)
	}
	if _, ok := ssax.Unwrap(ptr, ssax.WrapExtract).(*ssa.Call); !ok {
		t.Errorf("ssax.Unwrap(p, Extract) = %v, want the call to pair", ssax.Unwrap(ptr, ssax.WrapExtract))
	}
	if got := ssax.Unwrap(ptr, ssax.WrapChangeType); got != ptr {
		t.Errorf("ssax.Unwrap(p, ChangeType) = %v, want p itself", got)
	}
}
