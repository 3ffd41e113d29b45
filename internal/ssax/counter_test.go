package ssax_test

import (
	"testing"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

const counterSrc = `package p

func use(int) {}

func counted(xs []int) {
	for i := 0; i < len(xs); i++ {
		use(xs[i])
	}
}

func ranged(xs []int) {
	for i := range xs {
		use(xs[i])
	}
}

func fromOne(xs []int) {
	for i := 1; i < len(xs); i++ {
		use(xs[i])
	}
}

func byTwo(xs []int) {
	for i := 0; i < len(xs); i += 2 {
		use(xs[i])
	}
}
`

// TestCounterPhi asks, for the index of each function's element read,
// whether it takes every index from 0 up by one.
func TestCounterPhi(t *testing.T) {
	pkg := buildSrc(t, counterSrc)
	for name, want := range map[string]bool{"counted": true, "ranged": true, "fromOne": false, "byTwo": false} {
		var index ssa.Value
		for _, b := range pkg.Func(name).Blocks {
			for _, in := range b.Instrs {
				if ia, ok := in.(*ssa.IndexAddr); ok {
					index = ia.Index
				}
			}
		}
		if index == nil {
			t.Fatalf("%s: no element read", name)
		}
		if got := ssax.CounterPhi(index) != nil; got != want {
			t.Errorf("%s: CounterPhi != nil is %v, want %v", name, got, want)
		}
	}
}
