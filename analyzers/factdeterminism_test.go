package analyzers_test

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/gob"
	"fmt"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/objectpath"

	"github.com/syncvet/syncvet/analyzers"
)

// envFactDump makes the test binary, run by TestFactDeterminism, print
// the facts of one run instead of testing.
const envFactDump = "SYNCVET_TEST_FACTDUMP"

// TestFactDeterminism runs syncvet's own checks (and the passes they
// require) over every fixture in two separate processes, gob-encodes
// each fact that each package exports, and compares the two runs byte
// for byte: a map inside a fact, or an order that depends on map
// iteration or scheduling, gives other bytes in another process. Every
// fact type of the checks and passes must occur in the fixtures, so that
// none is covered in name only.
func TestFactDeterminism(t *testing.T) {
	if os.Getenv(envFactDump) != "" {
		dumpFacts(t)
		return
	}
	if testing.Short() {
		t.Skip("loads every fixture twice")
	}
	var runs [2][]byte
	for i := range runs {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFactDeterminism$", "-test.count=1")
		cmd.Env = append(os.Environ(), envFactDump+"=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("run %d: %v\n%s%s", i, err, out, stderr.Bytes())
		}
		runs[i] = out
	}
	facts := [2]map[string]string{parseDump(t, runs[0]), parseDump(t, runs[1])}
	if len(facts[0]) == 0 {
		t.Fatalf("no facts at all:\n%s", runs[0])
	}
	keys := map[string]bool{}
	for _, m := range facts {
		for k := range m {
			keys[k] = true
		}
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	differ := 0
	perType := map[string]int{}
	for _, k := range sorted {
		a, okA := facts[0][k]
		b, okB := facts[1][k]
		switch {
		case !okA || !okB:
			t.Errorf("%s: exported in only one run", k)
			differ++
		case a != b:
			differ++
			if differ <= 10 {
				t.Errorf("%s: encodes to other bytes in the second run:\n  first:  %s\n  second: %s", k, showFact(t, k, a), showFact(t, k, b))
			}
		}
		perType[strings.Fields(k)[0]]++
	}
	for _, typ := range factTypes(analyzers.Own()) {
		if perType[typ] == 0 {
			t.Errorf("fact type %s occurs in no fixture: add one that exports it, or its determinism is untested", typ)
		}
	}
	if differ > 0 {
		t.Errorf("%d of %d facts differ between the runs; by type: %v", differ, len(sorted), perType)
	}
	t.Logf("%d facts compared; by type: %v", len(sorted), perType)
}

// showFact decodes an encoded fact of the type the key names and
// renders it, so that a difference can be told from a change of value.
func showFact(t *testing.T, key, enc string) string {
	typ := strings.Fields(key)[0]
	var f analysis.Fact
	for _, x := range allFacts(analyzers.Own()) {
		if reflect.TypeOf(x).String() == typ {
			f = reflect.New(reflect.TypeOf(x).Elem()).Interface().(analysis.Fact)
		}
	}
	data, err := base64.StdEncoding.DecodeString(enc)
	if err != nil || f == nil {
		return fmt.Sprintf("(cannot decode: %v)", err)
	}
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(f); err != nil {
		return fmt.Sprintf("(cannot decode: %v)", err)
	}
	s := fmt.Sprintf("%+v", f)
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// factTypes returns the names of the fact types of as and of every
// analyzer they require, sorted.
func factTypes(as []*analysis.Analyzer) []string {
	var out []string
	for _, f := range allFacts(as) {
		out = append(out, reflect.TypeOf(f).String())
	}
	sort.Strings(out)
	return out
}

// allFacts returns the fact types of as and of every analyzer they
// require.
func allFacts(as []*analysis.Analyzer) []analysis.Fact {
	seen := map[*analysis.Analyzer]bool{}
	var out []analysis.Fact
	var walk func(*analysis.Analyzer)
	walk = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		out = append(out, a.FactTypes...)
		for _, r := range a.Requires {
			walk(r)
		}
	}
	for _, a := range as {
		walk(a)
	}
	return out
}

// dumpFacts analyses the fixtures and prints one line per fact that a
// fixture package exports: "TYPE PACKAGE-ID OBJECT BASE64-GOB".
func dumpFacts(t *testing.T) {
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
	pkgs, err := packages.Load(cfg, "lockset/...", "blocking/...", "goroutines/...", "sharedaccess/...", "lockorder/...", "overlock/...", "goroutineleak/...")
	if err != nil {
		t.Fatal(err)
	}
	if n := packages.PrintErrors(pkgs); n > 0 {
		t.Fatalf("%d errors loading the fixtures", n)
	}
	graph, err := checker.Analyze(analyzers.Own(), pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	fixture := map[string]bool{}
	for _, p := range pkgs {
		fixture[p.ID] = true
	}
	// gob numbers types in the order a process first encodes them, and
	// the numbers are in the bytes; graph.All's order is unspecified.
	// Encode each fact type once, in order of name, so that the numbers
	// are the same in both runs (unitchecker encodes a unit's facts in
	// one sorted stream, which numbers them in a fixed order too).
	facts := allFacts(analyzers.Own())
	sort.Slice(facts, func(i, j int) bool {
		return reflect.TypeOf(facts[i]).String() < reflect.TypeOf(facts[j]).String()
	})
	for _, f := range facts {
		if err := gob.NewEncoder(io.Discard).Encode(f); err != nil {
			t.Fatalf("encoding a zero %T: %v", f, err)
		}
	}
	var lines []string
	add := func(act *checker.Action, obj string, f analysis.Fact) {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(f); err != nil {
			t.Fatalf("%s: encoding %T: %v", act, f, err)
		}
		lines = append(lines, fmt.Sprintf("%s %s %s %s", reflect.TypeOf(f).String(),
			strings.ReplaceAll(act.Package.ID, " ", "_"), obj, base64.StdEncoding.EncodeToString(buf.Bytes())))
	}
	for act := range graph.All() {
		if act.Err != nil {
			t.Errorf("%s: %v", act, act.Err)
		}
		if !fixture[act.Package.ID] {
			continue // std: cached by go vet, not the fixtures' business
		}
		own := act.Package.Types
		for _, f := range act.AllPackageFacts() {
			if f.Package == own {
				add(act, "(package)", f.Fact)
			}
		}
		for _, f := range act.AllObjectFacts() {
			if f.Object.Pkg() != own {
				continue
			}
			add(act, objectName(f.Object), f.Fact)
		}
	}
	sort.Strings(lines)
	w := bufio.NewWriter(os.Stdout)
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
	w.Flush()
}

// objectName names a fact's object as the fact encoding does, by object
// path, or by its string where it has none.
func objectName(obj types.Object) string {
	if p, err := objectpath.For(obj); err == nil {
		return string(p)
	}
	return strings.ReplaceAll(obj.String(), " ", "_")
}

// parseDump reads dumpFacts' output into a map from "TYPE PACKAGE
// OBJECT" to the encoded fact.
func parseDump(t *testing.T, out []byte) map[string]string {
	m := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if strings.HasPrefix(l, "PASS") || strings.HasPrefix(l, "ok ") || l == "" {
			continue
		}
		i := strings.LastIndexByte(l, ' ')
		if i < 0 || strings.Count(l, " ") != 3 {
			t.Fatalf("unexpected line in the fact dump: %q", l)
		}
		if _, dup := m[l[:i]]; dup {
			t.Fatalf("two facts for %s", l[:i])
		}
		m[l[:i]] = l[i+1:]
	}
	return m
}
