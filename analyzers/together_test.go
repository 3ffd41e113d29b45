package analyzers_test

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/syncvet/syncvet/analyzers"
)

// TestAllTogether runs every check at once over the fixtures, as the
// drivers do: the analyzers that share a pass's Result (lockset's is
// read by sharedaccess, blocking, lockorder and overlock) run at the
// same time. Under -race this catches a Result that is not safe for
// concurrent readers; without it, it checks that no pass or check fails
// on another's fixtures.
func TestAllTogether(t *testing.T) {
	if testing.Short() {
		t.Skip("loads every fixture")
	}
	dir, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &packages.Config{
		Mode:  packages.LoadAllSyntax,
		Dir:   filepath.Join(dir, "src"),
		Env:   append(os.Environ(), "GOPATH="+dir, "GO111MODULE=off", "GOPROXY=off"),
		Tests: true,
	}
	pkgs, err := packages.Load(cfg, "lockset/...", "blocking/...", "goroutines/...", "sharedaccess/...", "lockorder/...", "overlock/...")
	if err != nil {
		t.Fatal(err)
	}
	if n := packages.PrintErrors(pkgs); n > 0 {
		t.Fatalf("%d errors loading the fixtures", n)
	}
	graph, err := checker.Analyze(analyzers.All(), pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	byCheck := map[string]int{}
	for act := range graph.All() {
		if act.Err != nil {
			t.Errorf("%s on %s: %v", act.Analyzer.Name, act.Package.PkgPath, act.Err)
		}
		if act.IsRoot {
			byCheck[act.Analyzer.Name] += len(act.Diagnostics)
		}
	}
	for _, name := range []string{"sharedaccess", "lockorder", "overlock"} {
		if byCheck[name] == 0 {
			t.Errorf("%s reported nothing on its own fixtures run together with the other checks", name)
		}
	}
}
