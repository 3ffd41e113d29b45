package lockorder_test

import (
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

// TestGraph checks the Edges fact that `syncvet lockgraph` draws the
// graph from (cmd/syncvet tests the drawing).
func TestGraph(t *testing.T) {
	analysistest.Run(t, testdata(t), lockorder.Analyzer, "lockorder/graph")
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
	analysistest.Run(t, testdata(t), lockorder.Analyzer, "lockorder/ctor", "lockorder/fresh", "lockorder/freshctor")
}

func TestGates(t *testing.T) {
	analysistest.Run(t, testdata(t), lockorder.Analyzer, "lockorder/gates")
}

func TestReleaser(t *testing.T) {
	analysistest.Run(t, testdata(t), lockorder.Analyzer, "lockorder/releaser")
}

// TestLeakHome: a double lock caused by a callee in another package of
// the same module is that callee's bug, reported in its own package.
func TestLeakHome(t *testing.T) {
	dir, err := filepath.Abs("../../testdata/modules/leakhome")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, lockorder.Analyzer, "example.com/leakhome/use")
}

// TestUnlocks: an Unlock of a lock the function already unlocked.
func TestUnlocks(t *testing.T) {
	analysistest.Run(t, testdata(t), lockorder.Analyzer, "lockorder/unlocks")
}

// TestCallbacks: function values that take again the lock that the
// function calling them holds.
func TestCallbacks(t *testing.T) {
	analysistest.Run(t, testdata(t), lockorder.Analyzer, "lockorder/callbacks")
}
