package factscope_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/syncvet/syncvet/internal/factscope"
)

// pass returns a Pass over the named files of dir, as a unit of the
// package with the given path; its package name is the first file's.
func pass(t *testing.T, dir, path string, files ...string) *analysis.Pass {
	t.Helper()
	fset := token.NewFileSet()
	var parsed []*ast.File
	for _, name := range files {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.PackageClauseOnly)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
	}
	return &analysis.Pass{Fset: fset, Files: parsed, Pkg: types.NewPackage(path, parsed[0].Name.Name)}
}

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, pkg := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("package "+pkg+"\n"), 0o666); err != nil {
			t.Fatal(err)
		}
	}
}

func TestImportable(t *testing.T) {
	cmd := t.TempDir() // a main package with in-package tests only
	write(t, cmd, map[string]string{"main.go": "main", "main_test.go": "main"})
	tested := t.TempDir() // a main package with an external test package
	write(t, tested, map[string]string{"main.go": "main", "x_test.go": "main_test"})
	lib := t.TempDir() // a library with both kinds of test
	write(t, lib, map[string]string{"lib.go": "lib", "in_test.go": "lib", "ext_test.go": "lib_test"})
	odd := t.TempDir() // a library named like an external test package
	write(t, odd, map[string]string{"odd.go": "odd_test", "odd_test.go": "odd_test"})

	for _, c := range []struct {
		name string
		pass *analysis.Pass
		want bool
	}{
		{"main", pass(t, cmd, "example.com/cmd", "main.go"), false},
		{"main's test variant", pass(t, cmd, "example.com/cmd", "main.go", "main_test.go"), false},
		{"main with an external test", pass(t, tested, "example.com/tested", "main.go"), true},
		{"external test of main", pass(t, tested, "example.com/tested_test", "x_test.go"), false},
		{"library", pass(t, lib, "example.com/lib", "lib.go"), true},
		{"library's test variant", pass(t, lib, "example.com/lib", "lib.go", "in_test.go"), true},
		{"external test", pass(t, lib, "example.com/lib_test", "ext_test.go"), false},
		{"library named _test", pass(t, odd, "example.com/odd_test", "odd.go", "odd_test.go"), true},
	} {
		if got := factscope.Importable(c.pass); got != c.want {
			t.Errorf("%s: Importable = %t, want %t", c.name, got, c.want)
		}
	}
}
