package goroutines_test

import (
	"bytes"
	"encoding/gob"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/buildssa"

	"github.com/syncvet/syncvet/passes/goroutines"
)

// show reports the Result so that fixtures can state it with want
// comments: one diagnostic per spawn, and the events of functions named
// "events".
var show = &analysis.Analyzer{
	Name:     "showgoroutines",
	Doc:      "report the goroutines pass result, for tests",
	Requires: []*analysis.Analyzer{goroutines.Analyzer, buildssa.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		r := pass.ResultOf[goroutines.Analyzer].(*goroutines.Result)
		for _, s := range r.Spawns {
			var names []string
			for _, f := range r.Reach(s) {
				names = append(names, f.Name())
			}
			pass.Reportf(s.Pos, "spawn %s reach(%s)", s, strings.Join(names, ","))
		}
		for _, fn := range pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA).SrcFuncs {
			if fn.Name() != "events" {
				continue
			}
			for _, ev := range r.Events(fn) {
				pass.Reportf(ev.Instr.Pos(), "event %s", ev.Kind)
			}
		}
		return nil, nil
	},
}

func testdata(t *testing.T) string {
	dir, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func Test(t *testing.T) {
	analysistest.Run(t, testdata(t), show, "goroutines/basic")
}

func TestGenerics(t *testing.T) {
	analysistest.Run(t, testdata(t), show, "goroutines/generics")
}

func TestClosures(t *testing.T) {
	analysistest.Run(t, testdata(t), show, "goroutines/closures")
}

func TestCrossPkg(t *testing.T) {
	analysistest.Run(t, testdata(t), goroutines.Analyzer, "goroutines/crosspkg/...")
}

// TestFacts checks that Spawns survives a gob round-trip, encodes to the
// same bytes twice, and stays within its size budget (64 bytes for a
// function with a few spawned parameters).
func TestFacts(t *testing.T) {
	f := &goroutines.Spawns{Params: []int{0, 2, 5}}
	enc := func(v any) []byte {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(v); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b := enc(f), enc(f)
	if !bytes.Equal(a, b) {
		t.Fatalf("encoding not deterministic")
	}
	var g goroutines.Spawns
	if err := gob.NewDecoder(bytes.NewReader(a)).Decode(&g); err != nil {
		t.Fatal(err)
	}
	if g.String() != f.String() || g.String() != "spawns(0,2,5)" {
		t.Fatalf("round trip: got %s, want %s", &g, f)
	}
	if len(a) > 64 {
		t.Fatalf("fact is %d bytes, budget 64", len(a))
	}
}
