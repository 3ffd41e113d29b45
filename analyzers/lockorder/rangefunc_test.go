package lockorder_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/syncvet/syncvet/analyzers/lockorder"
)

// TestRangeFunc: a range-over-func body that unlocks and returns leaves
// no lock to double-lock later.
func TestRangeFunc(t *testing.T) {
	analysistest.Run(t, testdata(t), lockorder.Analyzer, "lockorder/rangefunc")
}

// TestHandOff: a lock released by the goroutine its locker starts is
// handed off at the go statement.
func TestHandOff(t *testing.T) {
	analysistest.Run(t, testdata(t), lockorder.Analyzer, "lockorder/handoff")
}
