package names_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"

	"github.com/syncvet/syncvet/internal/names"
)

const localsSrc = `package p

func f() {
	x := g()
	p := &T{}
	var v = g()
	a, b := g(), h()
	first, _, third := three()
	_ = x; _ = p; _ = v; _ = a; _ = b; _ = first; _ = third
}
`

func TestLocals(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", localsSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	l := names.NewLocals([]*ast.File{f})
	got := map[string]string{} // call or literal text -> variable
	var tuple *ast.CallExpr
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if fn, ok := n.Fun.(*ast.Ident); ok {
				if fn.Name == "three" {
					tuple = n
				}
				if v := l.Of(n.Lparen); v != "" {
					got[fset.Position(n.Pos()).String()] = v
				}
			}
		case *ast.CompositeLit:
			if v := l.Of(n.Lbrace); v != "" {
				got[fset.Position(n.Pos()).String()] = v
			}
		}
		return true
	})
	want := map[string]string{"p.go:4:7": "x", "p.go:5:8": "p", "p.go:6:10": "v", "p.go:7:10": "a", "p.go:7:15": "b"}
	if len(got) != len(want) {
		t.Errorf("Of: got %v, want %v", got, want)
	}
	for pos, v := range want {
		if got[pos] != v {
			t.Errorf("Of at %s = %q, want %q", pos, got[pos], v)
		}
	}
	for i, v := range []string{"first", "", "third"} {
		if r := l.Result(tuple.Lparen, i); r != v {
			t.Errorf("Result(three, %d) = %q, want %q", i, r, v)
		}
	}
}
