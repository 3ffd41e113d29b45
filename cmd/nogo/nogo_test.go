package nogo_test

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/syncvet/syncvet/analyzers"
	"github.com/syncvet/syncvet/cmd/nogo/atomic"
	"github.com/syncvet/syncvet/cmd/nogo/copylocks"
	"github.com/syncvet/syncvet/cmd/nogo/goroutineleak"
	"github.com/syncvet/syncvet/cmd/nogo/lockorder"
	"github.com/syncvet/syncvet/cmd/nogo/loopclosure"
	"github.com/syncvet/syncvet/cmd/nogo/lostcancel"
	"github.com/syncvet/syncvet/cmd/nogo/overlock"
	"github.com/syncvet/syncvet/cmd/nogo/sa2000"
	"github.com/syncvet/syncvet/cmd/nogo/sa2001"
	"github.com/syncvet/syncvet/cmd/nogo/sa2002"
	"github.com/syncvet/syncvet/cmd/nogo/sa2003"
	"github.com/syncvet/syncvet/cmd/nogo/sharedaccess"
	"github.com/syncvet/syncvet/cmd/nogo/testinggoroutine"
	"github.com/syncvet/syncvet/cmd/nogo/waitgroup"
)

// packages lists every nogo package's Analyzer.
var packages = []*analysis.Analyzer{
	lockorder.Analyzer,
	overlock.Analyzer,
	sharedaccess.Analyzer,
	goroutineleak.Analyzer,
	atomic.Analyzer,
	copylocks.Analyzer,
	loopclosure.Analyzer,
	lostcancel.Analyzer,
	testinggoroutine.Analyzer,
	waitgroup.Analyzer,
	sa2000.Analyzer,
	sa2001.Analyzer,
	sa2002.Analyzer,
	sa2003.Analyzer,
}

// TestEveryCheck checks that the nogo packages export exactly the checks
// of analyzers.All(), wrapped, each from the package named after it.
func TestEveryCheck(t *testing.T) {
	all := analyzers.All()
	var want, got []string
	for _, a := range all {
		want = append(want, a.Name)
	}
	for _, a := range packages {
		got = append(got, a.Name)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("cmd/nogo packages export %v, analyzers.All() has %v: add or remove a package under cmd/nogo", got, want)
	}
	for i, a := range packages {
		if i < len(all) && (a.Doc != all[i].Doc || a.Requires == nil && all[i].Requires != nil) {
			t.Errorf("cmd/nogo %s is not the check of analyzers.All()", a.Name)
		}
	}
	if err := analysis.Validate(packages); err != nil {
		t.Error(err)
	}
}

// TestWrapped checks that a nogo package exports the wrapped check: it
// honours //syncvet:ignore as the other drivers do.
func TestWrapped(t *testing.T) {
	dir, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, copylocks.Analyzer, "suppress/copylocks")
}
