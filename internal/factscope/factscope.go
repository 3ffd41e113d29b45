// Package factscope says whether the object facts a unit exports can
// reach any other unit, so that a pass need not compute or export facts
// that no importer will ever read.
package factscope

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
)

// Importable reports whether some other package can import the package
// that pass analyses, and so read the object facts it exports. It
// reports false only for
//
//   - an external test package (its name ends in _test and all its
//     files are _test.go files): nothing imports it;
//   - a package main whose directory holds no external test package
//     (package main_test): the go command lets no other package import
//     a main package, except the external test package beside it.
//
// Every other unit is importable, the test variant of a package
// included: its external test package imports it. When the answer
// cannot be known (cgo-generated files, an unreadable directory),
// Importable reports true.
//
// A pass that reads its own facts back with ImportObjectFact, or whose
// own package facts a driver reads, must export them regardless.
func Importable(pass *analysis.Pass) bool {
	name := pass.Pkg.Name()
	switch {
	case strings.HasSuffix(name, "_test") && strings.HasSuffix(pass.Pkg.Path(), "_test"):
		for _, f := range pass.Files {
			if !strings.HasSuffix(fileName(pass.Fset, f), "_test.go") {
				return true
			}
		}
		return len(pass.Files) == 0
	case name == "main":
		return hasMainTest(pass)
	}
	return true
}

// hasMainTest reports whether the directory of pass's files may hold an
// external test package of the main package, or cannot be read.
func hasMainTest(pass *analysis.Pass) bool {
	dirs := map[string]bool{}
	for _, f := range pass.Files {
		n := fileName(pass.Fset, f)
		base := filepath.Base(n)
		if n == "" || strings.HasPrefix(base, "_cgo_") || strings.HasSuffix(base, ".cgo1.go") {
			return true // cgo moves files away from the source directory
		}
		dirs[filepath.Dir(n)] = true
	}
	if len(dirs) != 1 {
		return true
	}
	for dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return true
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			// Build constraints are ignored: a main_test file that the
			// build excludes still counts, which errs towards exporting.
			f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, e.Name()), nil, parser.PackageClauseOnly)
			if err != nil || f.Name.Name == "main_test" {
				return true
			}
		}
	}
	return false
}

func fileName(fset *token.FileSet, f *ast.File) string {
	if tf := fset.File(f.FileStart); tf != nil {
		return tf.Name()
	}
	return ""
}

// factsOnly is set by a driver whose process analyses one facts-only
// unit (go vet's dependencies of the named packages): their findings
// are dropped, so a check that exports facts need compute only those.
var factsOnly atomic.Bool

// SetFactsOnly records that this process analyses facts-only units; the
// vet tool sets it before analysing its one unit.
func SetFactsOnly(b bool) { factsOnly.Store(b) }

// FactsOnly reports whether findings of this process's units are
// dropped: a check may then skip all but the work its facts need.
func FactsOnly() bool { return factsOnly.Load() }
