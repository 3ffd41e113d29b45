package overlock_test

import (
	"path/filepath"
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
