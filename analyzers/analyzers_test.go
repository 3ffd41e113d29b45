package analyzers_test

import (
	"go/ast"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/syncvet/syncvet/analyzers"
)

// TestBundled runs each bundled check over its fixture.
func TestBundled(t *testing.T) {
	dir, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range analyzers.Bundled() {
		switch a.Name {
		case "copylocks", "waitgroup", "SA2000", "SA2001", "SA2002", "SA2003", "lostcancel":
			t.Run(a.Name, func(t *testing.T) {
				analysistest.Run(t, dir, a, "bundled/"+strings.ToLower(a.Name))
			})
		}
	}
}

// TestOffByDefaultCovered checks each check that is off by default
// against the check said to cover it, on the off check's fixture: the
// covering check reports in every function where the off check does,
// and in no other.
func TestOffByDefaultCovered(t *testing.T) {
	dir, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*analysis.Analyzer{}
	for _, a := range analyzers.All() {
		byName[a.Name] = a
	}
	inDefault := map[string]bool{}
	for _, a := range analyzers.Default() {
		inDefault[a.Name] = true
	}
	for off, cover := range analyzers.OffByDefault {
		if byName[off] == nil || byName[cover] == nil {
			t.Errorf("OffByDefault: %s or %s is not a check of All()", off, cover)
			continue
		}
		if inDefault[off] || !inDefault[cover] {
			t.Errorf("Default() should leave out %s and keep %s", off, cover)
		}
		fixture := "bundled/" + strings.ToLower(off)
		want := funcsReported(t, dir, byName[off], fixture)
		got := funcsReported(t, dir, byName[cover], fixture)
		if len(want) == 0 {
			t.Errorf("%s reports nothing on %s", off, fixture)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("on %s, %s reports in %v, %s in %v", fixture, off, want, cover, got)
		}
	}
}

// funcsReported runs a over the fixture, ignoring its // want comments,
// and returns the sorted names of the top-level functions it reports in.
func funcsReported(t *testing.T, dir string, a *analysis.Analyzer, fixture string) []string {
	set := map[string]bool{}
	for _, res := range analysistest.Run(ignoreWants{}, dir, a, fixture) {
		for _, d := range res.Diagnostics {
			for _, f := range res.Action.Package.Syntax {
				for _, decl := range f.Decls {
					if fd, ok := decl.(*ast.FuncDecl); ok && fd.Pos() <= d.Pos && d.Pos < fd.End() {
						set[fd.Name.Name] = true
					}
				}
			}
		}
	}
	var out []string
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// ignoreWants is an analysistest.Testing that drops the mismatches with
// a fixture's // want comments, which are written for another check.
type ignoreWants struct{}

func (ignoreWants) Errorf(string, ...any) {}

func TestNamesUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range analyzers.All() {
		if seen[a.Name] {
			t.Errorf("two checks named %s", a.Name)
		}
		seen[a.Name] = true
		if a.Doc == "" {
			t.Errorf("%s has no doc", a.Name)
		}
	}
	if err := analysis.Validate(analyzers.All()); err != nil {
		t.Error(err)
	}
}

// TestPanicIsContained checks that a check that panics on a package
// yields an error naming it while the other checks still report.
func TestPanicIsContained(t *testing.T) {
	boom := &analysis.Analyzer{
		Name: "boom",
		Doc:  "panics on every package",
		Run:  func(*analysis.Pass) (any, error) { var m map[string]int; m["x"]++; return nil, nil },
	}
	fine := &analysis.Analyzer{
		Name: "fine",
		Doc:  "reports each function",
		Run: func(pass *analysis.Pass) (any, error) {
			for _, f := range pass.Files {
				for _, d := range f.Decls {
					if fd, ok := d.(*ast.FuncDecl); ok {
						pass.Reportf(fd.Pos(), "func %s", fd.Name.Name)
					}
				}
			}
			return nil, nil
		},
	}
	guarded := analyzers.Guard([]*analysis.Analyzer{boom, fine})

	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: "../testdata/example"}
	pkgs, err := packages.Load(cfg, "./bank")
	if err != nil || len(pkgs) != 1 {
		t.Fatalf("load: %v", err)
	}
	g, err := checker.Analyze(guarded, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	var boomErr error
	var reports int
	for _, act := range g.Roots {
		switch act.Analyzer.Name {
		case "boom":
			boomErr = act.Err
		case "fine":
			reports += len(act.Diagnostics)
		}
	}
	if boomErr == nil || !strings.Contains(boomErr.Error(), "internal error in boom on package github.com/syncvet/syncvet/testdata/example/bank") {
		t.Errorf("panic error = %v, want an internal error naming the check and package", boomErr)
	}
	if boomErr != nil && !strings.Contains(boomErr.Error(), "analyzers_test.go") {
		t.Errorf("panic error should give the panicking line: %v", boomErr)
	}
	if reports == 0 {
		t.Error("the check that did not panic reported nothing")
	}
}
