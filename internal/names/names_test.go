package names_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"

	"github.com/syncvet/syncvet/internal/names"
)

const src = `package p

type Cache struct{}

func (c *Cache) Get() { func() {}() }

func (Cache) Size() int { return 0 }

func run() {}

func Map[T any](x T) T { return x }

var _ = Map[int]
`

func TestFunc(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := ssautil.BuildPackage(&types.Config{Importer: importer.Default()}, fset,
		types.NewPackage("p", "p"), []*ast.File{f}, ssa.InstantiateGenerics)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for fn := range ssautil.AllFunctions(pkg.Prog) {
		if fn.Pkg == pkg {
			got[names.Func(fn)] = true
		}
	}
	for _, want := range []string{"run", "(*Cache).Get", "(Cache).Size", "(*Cache).Get.func1", "Map"} {
		if !got[want] {
			t.Errorf("no function named %q; got %v", want, got)
		}
	}
}

func TestList(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a and b"},
		{[]string{"a", "b", "c"}, "a, b and c"},
	} {
		if got := names.List(tc.in); got != tc.want {
			t.Errorf("List(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "cycles"}, {1, "cycle"}, {2, "cycles"}} {
		if got := names.Plural(c.n, "cycle", "cycles"); got != c.want {
			t.Errorf("names.Plural(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}
