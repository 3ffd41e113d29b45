package lockset_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/syncvet/syncvet/passes/lockset"
)

// TestUnimported checks that Summaries are exported only where another
// package can import them: not in a package main without an external
// test package, nor in an external test package; in a package main that
// has one, they are.
func TestUnimported(t *testing.T) {
	analysistest.Run(t, testdata(t), lockset.Analyzer, "lockset/unimported/...")
}
