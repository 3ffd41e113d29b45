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

const src = `package p

type S struct {
	done chan int
	work chan int
}

var quit = make(chan int)

func f(s *S) int {
	select {
	case v := <-s.done:
		return v
	case <-quit:
		return -1
	}
}

func g(s *S) { s.work <- 1 }
`

func build(t *testing.T) *ssa.Package { return buildSrc(t, src) }

// buildSrc builds the SSA of package p from one file's source.
func buildSrc(t *testing.T, src string) *ssa.Package {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := ssautil.BuildPackage(&types.Config{Importer: importer.Default()}, fset,
		types.NewPackage("p", "p"), []*ast.File{f}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

func TestCaseBlockAndChanVar(t *testing.T) {
	pkg := build(t)
	f := pkg.Func("f")
	var sel *ssa.Select
	for _, b := range f.Blocks {
		for _, in := range b.Instrs {
			if s, ok := in.(*ssa.Select); ok {
				sel = s
			}
		}
	}
	if sel == nil {
		t.Fatal("no select in f")
	}
	if o := ssax.ChanVar(sel.States[0].Chan); o == nil || o.Name() != "done" {
		t.Errorf("case 0 channel = %v, want the field done", o)
	}
	if o := ssax.ChanVar(sel.States[1].Chan); o == nil || o.Name() != "quit" {
		t.Errorf("case 1 channel = %v, want the global quit", o)
	}
	b0, ok0 := ssax.CaseBlock(sel, 0)
	b1, ok1 := ssax.CaseBlock(sel, 1)
	if !ok0 || !ok1 || b0 == b1 {
		t.Fatalf("case blocks %v %v (found %v %v): want two different blocks", b0, b1, ok0, ok1)
	}
	// Each case block ends in its own return.
	for i, b := range []*ssa.BasicBlock{b0, b1} {
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); !ok {
			t.Errorf("case %d block does not end in the case's return", i)
		}
	}
}

func TestSentChannels(t *testing.T) {
	pkg := build(t)
	sent := ssax.SentChannels([]*ssa.Function{pkg.Func("f"), pkg.Func("g")})
	names := map[string]bool{}
	for o := range sent {
		names[o.Name()] = true
	}
	if !names["work"] || names["done"] || names["quit"] || len(names) != 1 {
		t.Errorf("sent on %v, want only work", names)
	}
}
