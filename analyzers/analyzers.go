// Package analyzers holds the one list of checks that every syncvet
// driver runs: syncvet's own concurrency analyzers followed by the
// concurrency checks of go vet and staticcheck that syncvet bundles so
// that it covers the field on its own.
package analyzers

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/atomic"
	"golang.org/x/tools/go/analysis/passes/copylock"
	"golang.org/x/tools/go/analysis/passes/loopclosure"
	"golang.org/x/tools/go/analysis/passes/lostcancel"
	"golang.org/x/tools/go/analysis/passes/testinggoroutine"
	"golang.org/x/tools/go/analysis/passes/waitgroup"
	"honnef.co/go/tools/staticcheck/sa2000"
	"honnef.co/go/tools/staticcheck/sa2001"
	"honnef.co/go/tools/staticcheck/sa2002"
	"honnef.co/go/tools/staticcheck/sa2003"

	"github.com/syncvet/syncvet/analyzers/goroutineleak"
	"github.com/syncvet/syncvet/analyzers/lockorder"
	"github.com/syncvet/syncvet/analyzers/overlock"
	"github.com/syncvet/syncvet/analyzers/sharedaccess"
)

// All returns every check that syncvet runs, syncvet's own first, as
// every driver should run them: each is a copy of the analyzer whose
// panics become errors for that package. Each call returns new copies.
func All() []*analysis.Analyzer {
	return Guard(append(Own(), Bundled()...))
}

// Guard returns copies of the root analyzers whose panics become errors
// naming the check and the package, and whose findings obey
// //syncvet:ignore directives (see IgnoreDirective).
func Guard(as []*analysis.Analyzer) []*analysis.Analyzer {
	out := make([]*analysis.Analyzer, len(as))
	for i, a := range as {
		out[i] = guard(a)
	}
	return out
}

// Own returns syncvet's own analyzers.
func Own() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		lockorder.Analyzer,
		overlock.Analyzer,
		sharedaccess.Analyzer,
		goroutineleak.Analyzer,
	}
}

// OffByDefault names the bundled checks that drivers leave off unless
// asked for by name, each with the check that already reports what it
// does: their findings would be duplicates. They stay in All (so that
// -NAME, a golangci-lint enable list or a nogo config can run them).
// With all four staticcheck checks off, a default run builds no
// staticcheck IR beside go/ssa.
var OffByDefault = map[string]string{
	"SA2000": "waitgroup",        // WaitGroup.Add inside the goroutine it counts
	"SA2001": "overlock",         // empty critical section
	"SA2002": "testinggoroutine", // t.FailNow (and friends) called from a goroutine
	"SA2003": "lockorder",        // defer Lock right after Lock
}

// Default returns the checks that run when none is named: All without
// OffByDefault.
func Default() []*analysis.Analyzer {
	var out []*analysis.Analyzer
	for _, a := range All() {
		if _, off := OffByDefault[a.Name]; !off {
			out = append(out, a)
		}
	}
	return out
}

// Bundled returns the concurrency checks of go vet (x/tools) and
// staticcheck (SA2000-SA2003) that syncvet runs unchanged.
func Bundled() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		atomic.Analyzer,
		copylock.Analyzer,
		loopclosure.Analyzer,
		lostcancel.Analyzer,
		testinggoroutine.Analyzer,
		waitgroup.Analyzer,
		sa2000.Analyzer,
		sa2001.Analyzer,
		sa2002.Analyzer,
		sa2003.Analyzer,
	}
}
