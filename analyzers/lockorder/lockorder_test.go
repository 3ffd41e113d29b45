package lockorder_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/syncvet/syncvet/analyzers/lockorder"
)

func testdata(t *testing.T) string {
	dir, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func Test(t *testing.T) {
	analysistest.Run(t, testdata(t), lockorder.Analyzer, "lockorder/basic")
}

func TestGenerics(t *testing.T) {
	analysistest.Run(t, testdata(t), lockorder.Analyzer, "lockorder/generics")
}

func TestClosures(t *testing.T) {
	analysistest.Run(t, testdata(t), lockorder.Analyzer, "lockorder/closures")
}

func TestCrossPackage(t *testing.T) {
	analysistest.Run(t, testdata(t), lockorder.Analyzer, "lockorder/crosspkg/...")
}

// TestLockGraph checks the DOT output against a golden file, and that a
// second run merging into the same file changes nothing.
func TestLockGraph(t *testing.T) {
	out := filepath.Join(t.TempDir(), "graph.dot")
	if err := lockorder.Analyzer.Flags.Set("lockgraph", out); err != nil {
		t.Fatal(err)
	}
	defer lockorder.Analyzer.Flags.Set("lockgraph", "")
	dir := testdata(t)
	analysistest.Run(t, dir, lockorder.Analyzer, "lockorder/graph")
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join(dir, "src", "lockorder", "graph", "graph.dot.golden")
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("lock graph differs from %s:\n%s", golden, got)
	}
	analysistest.Run(t, dir, lockorder.Analyzer, "lockorder/graph")
	again, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, got) {
		t.Errorf("merging the same edges again changed the graph:\n%s", again)
	}
}

func TestStale(t *testing.T) {
	analysistest.Run(t, testdata(t), lockorder.Analyzer, "lockorder/stale")
}

func TestImplicit(t *testing.T) {
	analysistest.Run(t, testdata(t), lockorder.Analyzer, "lockorder/implicit")
}

func TestDynamic(t *testing.T) {
	analysistest.Run(t, testdata(t), lockorder.Analyzer, "lockorder/dynamic")
}

func TestDeferred(t *testing.T) {
	analysistest.Run(t, testdata(t), lockorder.Analyzer, "lockorder/deferred")
}

func TestPerKey(t *testing.T) {
	analysistest.Run(t, testdata(t), lockorder.Analyzer, "lockorder/perkey")
}

func TestAlias(t *testing.T) {
	analysistest.Run(t, testdata(t), lockorder.Analyzer, "lockorder/alias")
}

func TestConstructor(t *testing.T) {
	analysistest.Run(t, testdata(t), lockorder.Analyzer, "lockorder/ctor")
}
