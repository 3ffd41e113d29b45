package blocking_test

import (
	"bytes"
	"encoding/gob"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/syncvet/syncvet/passes/blocking"
)

func testdata(t *testing.T) string {
	dir, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func Test(t *testing.T) {
	analysistest.Run(t, testdata(t), blocking.Analyzer, "blocking/basic")
}

func TestGenerics(t *testing.T) {
	analysistest.Run(t, testdata(t), blocking.Analyzer, "blocking/generics")
}

func TestClosures(t *testing.T) {
	analysistest.Run(t, testdata(t), blocking.Analyzer, "blocking/closures")
}

func TestCrossPackage(t *testing.T) {
	analysistest.Run(t, testdata(t), blocking.Analyzer, "blocking/crosspkg/...")
}

// TestFacts checks that a summary survives a gob round-trip, encodes to
// identical bytes twice, and stays within its size budget.
func TestFacts(t *testing.T) {
	sum := &blocking.Summary{
		Kind: blocking.Recv,
		Op:   "receive from s.jobs",
		Via: []blocking.Frame{
			{Pkg: "example.com/mid", Name: "Take", QName: "mid.Take"},
			{Pkg: "example.com/lib", Name: "(*Pool).Get", QName: "(*lib.Pool).Get"},
		},
		At:   "lib.go:12",
		Root: 0,
	}
	enc := func() []byte {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(sum); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b := enc(), enc()
	if !bytes.Equal(a, b) {
		t.Fatal("summary encodes to different bytes")
	}
	var back blocking.Summary
	if err := gob.NewDecoder(bytes.NewReader(a)).Decode(&back); err != nil {
		t.Fatal(err)
	}
	if back.String() != sum.String() {
		t.Fatalf("round trip: got %s, want %s", back.String(), sum.String())
	}
	// Budget: a two-frame summary stays under 512 bytes.
	if len(a) > 512 {
		t.Fatalf("summary is %d bytes, budget 512", len(a))
	}
}

func TestStdCalls(t *testing.T) {
	analysistest.Run(t, testdata(t), blocking.Analyzer, "blocking/stdcalls")
}
