package ssax_test

import (
	"testing"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

const cellSrc = `package p

type T struct{ n int }

func read(t *T, f func(func() int)) { f(func() int { return t.n }) }

func reassigned(t *T, f func(func())) { f(func() { t = nil }) }

func nested(t *T, f func(func() func() int)) {
	f(func() func() int { return func() int { return t.n } })
}
`

// TestSoleStore checks which captured parameters' cells stand for the
// parameter: read-only captures (also through a nested closure) do, a
// closure that assigns the variable does not.
func TestSoleStore(t *testing.T) {
	pkg := buildSrc(t, cellSrc)
	for name, want := range map[string]bool{"read": true, "reassigned": false, "nested": true} {
		fn := pkg.Func(name)
		var cell *ssa.Alloc
		for _, in := range fn.Blocks[0].Instrs {
			if a, ok := in.(*ssa.Alloc); ok && a.Comment == "t" {
				cell = a
			}
		}
		if cell == nil {
			t.Fatalf("%s: no cell for t", name)
		}
		got := ssax.SoleStore(cell)
		if want && got != fn.Params[0] || !want && got != nil {
			t.Errorf("%s: SoleStore = %v, want the parameter: %v", name, got, want)
		}
	}
}
