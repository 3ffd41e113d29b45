package sharedaccess_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/syncvet/syncvet/analyzers/sharedaccess"
)

func testdata(t *testing.T) string {
	dir, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func Test(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/basic")
}

func TestGuards(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/guards")
}

func TestLoops(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/loops")
}

func TestGenerics(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/generics")
}

func TestClosures(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/closures")
}

func TestCrossPkg(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/crosspkg/...")
}

// TestRegress runs the clean look-alikes found in the standard library.
func TestRegress(t *testing.T) {
	analysistest.Run(t, testdata(t), sharedaccess.Analyzer, "sharedaccess/regress")
}
