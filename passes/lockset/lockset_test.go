package lockset_test

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/syncvet/syncvet/passes/lockset"
)

func testdata(t *testing.T) string {
	dir, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func Test(t *testing.T) {
	analysistest.Run(t, testdata(t), lockset.Analyzer, "lockset/basic", "lockset/embedded", "lockset/leaks")
}

func TestGenerics(t *testing.T) {
	analysistest.Run(t, testdata(t), lockset.Analyzer, "lockset/generics")
}

func TestClosures(t *testing.T) {
	analysistest.Run(t, testdata(t), lockset.Analyzer, "lockset/closures")
}

func TestCrossPackage(t *testing.T) {
	analysistest.Run(t, testdata(t), lockset.Analyzer, "lockset/crosspkg/...")
}

// factBytes runs the analyzer over every lockset fixture and returns each
// exported Summary, gob-encoded, by "pkg.Func".
func factBytes(t *testing.T) map[string][]byte {
	results := analysistest.Run(t, testdata(t), lockset.Analyzer,
		"lockset/basic", "lockset/embedded", "lockset/leaks", "lockset/generics", "lockset/closures", "lockset/crosspkg/...")
	out := map[string][]byte{}
	for _, res := range results {
		for _, f := range res.Action.AllObjectFacts() {
			s, ok := f.Fact.(*lockset.Summary)
			if !ok {
				t.Fatalf("unexpected fact type %T", f.Fact)
			}
			pos := res.Action.Package.Fset.Position(f.Object.Pos())
			out[fmt.Sprintf("%s@%s:%d", f.Object.Name(), pos.Filename, pos.Line)] = encode(t, s)
		}
	}
	return out
}

func encode(t *testing.T, s *lockset.Summary) []byte {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// factBudget is the most a Summary may take, gob-encoded.
const factBudget = 8 << 10

func TestFacts(t *testing.T) {
	first := factBytes(t)
	second := factBytes(t)
	if len(first) < 20 {
		t.Fatalf("only %d facts exported; fixtures not analysed?", len(first))
	}
	for k, b := range first {
		if !bytes.Equal(b, second[k]) {
			t.Errorf("%s: fact bytes differ between runs", k)
		}
		var s lockset.Summary
		if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&s); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		if again := encode(t, &s); !bytes.Equal(again, b) {
			t.Errorf("%s: gob round trip changed the bytes", k)
		}
		if len(b) > factBudget {
			t.Errorf("%s: fact is %d bytes, over the %d budget", k, len(b), factBudget)
		}
	}
}

// TestFactBudget builds the largest summary the caps allow, with long
// names, and checks that it stays within the budget.
func TestFactBudget(t *testing.T) {
	ref := func(i int) lockset.LockRef {
		return lockset.LockRef{
			Kind: lockset.RefParam, Index: i % 8,
			Path:  []string{"someFieldName", "*", "anotherField"},
			Class: fmt.Sprintf("(*github.com/example/project/internal/pkg%d.TypeName).anotherField", i),
			Via:   []string{"(*pkg.TypeName).methodName", "pkg.helperFunction", "(*pkg.Other).run", "pkg.last"},
		}
	}
	s := &lockset.Summary{Truncated: true}
	for i := 0; i < lockset.MaxRefs; i++ {
		s.Acquires = append(s.Acquires, ref(i))
		s.Takes = append(s.Takes, ref(i))
	}
	for i := 0; i < lockset.MaxEdges; i++ {
		s.Edges = append(s.Edges, lockset.Edge{From: ref(i), To: ref(i + 1), Pos: "some_long_file_name.go:12345", Via: ref(i).Via})
	}
	// The caps bound Takes and Edges; Acquires and Releases are bounded by
	// the function's parameters and globals in practice.
	s.Acquires = s.Acquires[:4]
	if n := len(encode(t, s)); n > factBudget {
		t.Errorf("capped summary is %d bytes, over the %d budget", n, factBudget)
	}
}
