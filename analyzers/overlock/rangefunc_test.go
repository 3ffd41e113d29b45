package overlock_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/syncvet/syncvet/analyzers/overlock"
)

// TestRangeFunc: returns and breaks inside range-over-func bodies leave
// locks as the same code over a slice does.
func TestRangeFunc(t *testing.T) {
	analysistest.Run(t, testdata(t), overlock.Analyzer, "overlock/rangefunc")
}
