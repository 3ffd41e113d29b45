package overlock_test

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/syncvet/syncvet/analyzers/overlock"
)

func testdata(t *testing.T) string {
	dir, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func Test(t *testing.T) {
	analysistest.Run(t, testdata(t), overlock.Analyzer, "overlock/basic")
}

func TestUnreleased(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, testdata(t), overlock.Analyzer, "overlock/unreleased")
}

func TestGuards(t *testing.T) {
	analysistest.Run(t, testdata(t), overlock.Analyzer, "overlock/guards")
}

func TestGenerics(t *testing.T) {
	analysistest.Run(t, testdata(t), overlock.Analyzer, "overlock/generics")
}

func TestClosures(t *testing.T) {
	analysistest.Run(t, testdata(t), overlock.Analyzer, "overlock/closures")
}

func TestCrossPackage(t *testing.T) {
	analysistest.Run(t, testdata(t), overlock.Analyzer, "overlock/crosspkg/...")
}

func TestRegress(t *testing.T) {
	analysistest.Run(t, testdata(t), overlock.Analyzer, "overlock/regress")
}

// TestSections: one finding per critical section; tests' own stalling
// locks are not findings.
func TestSections(t *testing.T) {
	analysistest.Run(t, testdata(t), overlock.Analyzer, "overlock/sections")
}

// TestSectionStart checks that a finding's "locked here" names the Lock
// that opens the critical section around the blocking operation, not an
// earlier section of the same lock in the function.
func TestSectionStart(t *testing.T) {
	results := analysistest.Run(t, testdata(t), overlock.Analyzer, "overlock/sections")
	found := false
	for _, r := range results {
		for _, d := range r.Diagnostics {
			if !strings.HasPrefix(d.Message, "s.revMu held across blocking receive from revc") {
				continue
			}
			found = true
			if len(d.Related) == 0 {
				t.Fatalf("no related positions on %q", d.Message)
			}
			got := r.Pass.Fset.Position(d.Related[0].Pos)
			want := r.Pass.Fset.Position(d.Pos)
			if got.Line != want.Line-1 {
				t.Errorf("locked here at line %d, want %d (the Lock just above the receive)", got.Line, want.Line-1)
			}
		}
	}
	if !found {
		t.Fatal("no finding for twiceStore.restore")
	}
}
