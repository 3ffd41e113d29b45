package ssax_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"

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
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", cellSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := ssautil.BuildPackage(&types.Config{Importer: importer.Default()}, fset,
		types.NewPackage("p", "p"), []*ast.File{f}, 0)
	if err != nil {
		t.Fatal(err)
	}
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
