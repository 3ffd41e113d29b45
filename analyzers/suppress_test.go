package analyzers_test

import (
	"go/ast"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/copylock"

	"github.com/syncvet/syncvet/analyzers"
)

// probe reports every call to a function named hazard.
var probe = &analysis.Analyzer{
	Name: "probe",
	Doc:  "report calls to hazard",
	Run: func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if c, ok := n.(*ast.CallExpr); ok {
					if id, ok := c.Fun.(*ast.Ident); ok && id.Name == "hazard" {
						pass.Reportf(c.Pos(), "call to hazard")
					}
				}
				return true
			})
		}
		return nil, nil
	},
}

func testdata(t *testing.T) string {
	dir, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestSuppress checks where //syncvet:ignore silences findings and that a
// directive without a reason is reported and silences nothing.
func TestSuppress(t *testing.T) {
	a := analyzers.Guard([]*analysis.Analyzer{probe})[0]
	analysistest.Run(t, testdata(t), a, "suppress/probe")
}

// TestSuppressBundled checks the same on a bundled check, as All wraps it.
func TestSuppressBundled(t *testing.T) {
	var a *analysis.Analyzer
	for _, b := range analyzers.All() {
		if b.Name == copylock.Analyzer.Name {
			a = b
		}
	}
	if a == nil {
		t.Fatal("copylocks is not in All()")
	}
	analysistest.Run(t, testdata(t), a, "suppress/copylocks")
}

// TestSuppressUnwrapped shows the directives are the wrapper's doing: the
// bare check still reports the silenced findings.
func TestSuppressUnwrapped(t *testing.T) {
	res := analysistest.Run(fakeT{t}, testdata(t), probe, "suppress/probe")
	n := 0
	for _, r := range res {
		n += len(r.Diagnostics)
	}
	if n != 17 {
		t.Errorf("bare probe reported %d findings, want all 17 calls to hazard", n)
	}
}

// fakeT swallows analysistest's complaints about unmet expectations.
type fakeT struct{ *testing.T }

func (fakeT) Errorf(string, ...any) {}
