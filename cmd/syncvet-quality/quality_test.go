package main

import (
	"bytes"
	"encoding/json"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const corpusSrc = `package race_test

import "testing"

var initRace = func() int { x := 0; go func() { x++ }(); return x }()

type T struct{ n int }

func (t *T) bump() { t.n++ }

func helper(p *int) { *p = 1 }

func orphan(p *int) { *p = 2 }

func TestRaceA(t *testing.T) {
	x := 0
	go func() {
		x = 1
	}()
	_ = x
}

func TestRaceB(t *testing.T) {
	var x int
	helper(&x)
}

func TestRaceC(t *testing.T) {
	var v T
	v.bump()
}

func TestRaceMissed(t *testing.T) {}

func TestNoRaceD(t *testing.T) {
	var x int
	helper(&x)
}

func TestNoRaceE(t *testing.T) {}

func TestOther(t *testing.T) {}
`

// line returns the 1-based line of the first occurrence of s in src.
func line(t *testing.T, src, s string) int {
	t.Helper()
	i := strings.Index(src, s)
	if i < 0 {
		t.Fatalf("%q not in source", s)
	}
	return strings.Count(src[:i], "\n") + 1
}

func corpus(t *testing.T) []*funcDecl {
	t.Helper()
	fns, err := parseFuncs(token.NewFileSet(), "/tmp/x/a_test.go", []byte(corpusSrc))
	if err != nil {
		t.Fatal(err)
	}
	return fns
}

func TestParseFuncs(t *testing.T) {
	var names []string
	for _, fn := range corpus(t) {
		names = append(names, fn.Name)
	}
	want := []string{"T.bump", "helper", "orphan", "TestRaceA", "TestRaceB", "TestRaceC", "TestRaceMissed", "TestNoRaceD", "TestNoRaceE", "TestOther"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("functions = %v, want %v", names, want)
	}
}

func TestAttribute(t *testing.T) {
	fns := corpus(t)
	at := func(check, s string) finding {
		return finding{Check: check, File: "a_test.go", Line: line(t, corpusSrc, s), Col: 3}
	}
	fs := []finding{
		at("sharedaccess", "x = 1"),          // in a function literal of TestRaceA
		at("sharedaccess", "*p = 1"),         // in helper: TestRaceB and TestNoRaceD call it
		at("sharedaccess", "t.n++"),          // in method bump: TestRaceC calls v.bump()
		at("sharedaccess", "*p = 2"),         // in a helper nobody calls
		at("sharedaccess", "x := 0; go"),     // package-level initialiser
		at("overlock", "func TestNoRaceE"),   // another check in a clean test
		at("sharedaccess", "func TestOther"), // in an unscored test
	}
	a := attribute(fns, fs)
	got := map[string]int{}
	for name, l := range a.byTest {
		got[name] = len(l)
	}
	want := map[string]int{"TestRaceA": 1, "TestRaceB": 1, "TestNoRaceD": 1, "TestRaceC": 1, "TestNoRaceE": 1}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("attributed = %v, want %v", got, want)
	}
	if a.inTests != 2 || a.viaHelper != 2 || len(a.unassigned) != 3 {
		t.Errorf("inTests %d, viaHelper %d, unassigned %d; want 2, 2, 3", a.inTests, a.viaHelper, len(a.unassigned))
	}

	tests, files, total, checks, _ := scoreRace(fns, fs)
	outcomes := map[string]string{}
	for _, tr := range tests {
		outcomes[tr.Name] = tr.Outcome
	}
	wantOut := map[string]string{"TestRaceA": "TP", "TestRaceB": "TP", "TestRaceC": "TP", "TestRaceMissed": "FN", "TestNoRaceD": "FP", "TestNoRaceE": "TN"}
	if !reflect.DeepEqual(outcomes, wantOut) {
		t.Errorf("outcomes = %v, want %v", outcomes, wantOut)
	}
	wantTotal := Score{TP: 3, FP: 1, FN: 1, TN: 1, Precision: 0.75, Recall: 0.75}
	if total != wantTotal {
		t.Errorf("total = %+v, want %+v", total, wantTotal)
	}
	if len(files) != 1 || files[0].Score != wantTotal || files[0].Racy != 4 || files[0].Clean != 2 {
		t.Errorf("files = %+v", files)
	}
	if c := checks["overlock"]; c != (CheckCount{Findings: 1, CleanTests: 1}) {
		t.Errorf("overlock count = %+v", c)
	}
	if c := checks["sharedaccess"]; c != (CheckCount{Findings: 6, RacyTests: 3, CleanTests: 1}) {
		t.Errorf("sharedaccess count = %+v", c)
	}
}

func TestScoreEmpty(t *testing.T) {
	var s Score
	s.add("TN")
	s.finish()
	if s.Precision != 0 || s.Recall != 0 || ratio(s.TP+s.FP, s.Precision) != "-" {
		t.Errorf("empty score = %+v", s)
	}
}

func TestParseOutput(t *testing.T) {
	out := `{"m/p": {"sharedaccess": [{"posn": "/w/p/a_test.go:12:3", "end": "", "message": "unsynchronized write to x: ..."}],
	"lockorder": [{"posn": "/w/p/a_test.go:4:1", "end": "", "message": "internal error in lockorder: boom"}]}}`
	var r vetRun
	if err := parseOutput([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	want := []finding{{Check: "sharedaccess", Path: "/w/p/a_test.go", File: "a_test.go", Line: 12, Col: 3, Message: "unsynchronized write to x: ..."}}
	if !reflect.DeepEqual(r.findings, want) || len(r.internal) != 1 {
		t.Errorf("findings %+v, internal %+v", r.findings, r.internal)
	}

	stderr := "# m/blocking/a/1\n# [m/blocking/a/1.test]\n./a_test.go:3:2: undefined: x\n" +
		"syncvet: m/b: sharedaccess: panic\nsyncvet: m/c: not analysed: it depends on m/blocking/a/1, which does not build (errors above)\n"
	broken, failures := parseStderr(stderr)
	if !reflect.DeepEqual(broken, map[string][]string{"m/blocking/a/1": {"./a_test.go:3:2: undefined: x"}}) {
		t.Errorf("broken = %v", broken)
	}
	if !reflect.DeepEqual(failures, []string{"syncvet: m/b: sharedaccess: panic"}) {
		t.Errorf("failures = %v", failures)
	}
}

func TestScoreKernels(t *testing.T) {
	ks := []Kernel{
		{ID: "a_1", Kind: "blocking", Type: "Resource Deadlock", Subtype: "Double locking", rel: "blocking/a/1"},
		{ID: "a_2", Kind: "blocking", Type: "Resource Deadlock", Subtype: "Double locking", rel: "blocking/a/2"},
		{ID: "b_3", Kind: "nonblocking", Type: "Traditional", Subtype: "Data race", rel: "nonblocking/b/3"},
		{ID: "b_4", Kind: "nonblocking", Type: "Traditional", Subtype: "Data race", rel: "nonblocking/b/4"},
	}
	byKernel := map[string][]finding{
		"blocking/a/1":    {{Check: "lockorder"}, {Check: "sharedaccess"}},
		"blocking/a/2":    {{Check: "sharedaccess"}}, // not a blocking check
		"nonblocking/b/3": {{Check: "sharedaccess"}},
	}
	got := scoreKernels(ks, byKernel, map[string][]string{"nonblocking/b/4": {"does not build"}})
	found := map[string]bool{}
	for _, k := range got {
		found[k.ID] = k.Found
	}
	if !reflect.DeepEqual(found, map[string]bool{"a_1": true, "a_2": false, "b_3": true, "b_4": false}) {
		t.Errorf("found = %v", found)
	}
	if got[1].Checks["sharedaccess"] != 1 || got[3].Error != "does not build" {
		t.Errorf("kernels = %+v", got)
	}
	subs := subtypeScores(got)
	want := []SubtypeScore{{"blocking", "Resource Deadlock", "Double locking", 1, 2}, {"nonblocking", "Traditional", "Data race", 1, 2}}
	if !reflect.DeepEqual(subs, want) {
		t.Errorf("subtypes = %+v, want %+v", subs, want)
	}
}

func TestDiff(t *testing.T) {
	base := &Result{
		Syncvet: "old",
		Race: &RaceResult{Tests: []TestResult{
			{Name: "TestRaceA", File: "a.go", Outcome: "FN"},
			{Name: "TestRaceB", File: "a.go", Outcome: "TP"},
			{Name: "TestNoRaceC", File: "a.go", Outcome: "TN"},
			{Name: "TestNoRaceD", File: "a.go", Outcome: "FP"},
			{Name: "TestRaceGone", File: "a.go", Outcome: "TP"},
		}},
		GoKer: &GoKerResult{
			Subtypes: []SubtypeScore{{"blocking", "T", "S", 1, 2}},
			Kernels: []Kernel{
				{ID: "k_1", Kind: "blocking", Type: "T", Subtype: "S", Found: true},
				{ID: "k_2", Kind: "blocking", Type: "T", Subtype: "S"},
			},
		},
	}
	cur := &Result{
		Race: &RaceResult{Tests: []TestResult{
			{Name: "TestRaceA", File: "a.go", Outcome: "TP"},
			{Name: "TestRaceB", File: "a.go", Outcome: "FN"},
			{Name: "TestNoRaceC", File: "a.go", Outcome: "FP"},
			{Name: "TestNoRaceD", File: "a.go", Outcome: "TN"},
			{Name: "TestRaceNew", File: "a.go", Outcome: "TP"},
		}},
		GoKer: &GoKerResult{
			Subtypes: []SubtypeScore{{"blocking", "T", "S", 1, 2}},
			Kernels: []Kernel{
				{ID: "k_1", Kind: "blocking", Type: "T", Subtype: "S"},
				{ID: "k_2", Kind: "blocking", Type: "T", Subtype: "S", Found: true},
			},
		},
	}
	d := diff(base, cur)
	check := func(name string, got []string, want ...string) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("NewlyFound", d.NewlyFound, "a.go: TestRaceA")
	check("NewlyMissed", d.NewlyMissed, "a.go: TestRaceB")
	check("NewFPs", d.NewFPs, "a.go: TestNoRaceC")
	check("FixedFPs", d.FixedFPs, "a.go: TestNoRaceD")
	check("TestsOnlyBefore", d.TestsOnlyBefore, "a.go: TestRaceGone")
	check("TestsOnlyAfter", d.TestsOnlyAfter, "a.go: TestRaceNew")
	check("KernelsFound", d.KernelsFound, "blocking/k_2")
	check("KernelsMissed", d.KernelsMissed, "blocking/k_1")
	if len(d.Subtypes) != 0 || !d.regressed() {
		t.Errorf("subtypes %v (same count, so none), regressed %v", d.Subtypes, d.regressed())
	}

	// Unchanged: nothing to report, not regressed; a corpus missing
	// from one side is not compared.
	d = diff(cur, &Result{Race: cur.Race})
	if d.regressed() || d.NewlyFound != nil || d.KernelsMissed != nil {
		t.Errorf("diff of a result with itself = %+v", d)
	}

	// The diff survives the JSON round trip that -baseline makes.
	data, err := json.Marshal(base)
	if err != nil {
		t.Fatal(err)
	}
	var back Result
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if d := diff(&back, base); d.regressed() || len(d.KernelsFound)+len(d.NewlyFound)+len(d.TestsOnlyAfter) != 0 {
		t.Errorf("diff after a JSON round trip = %+v", d)
	}
	var buf bytes.Buffer
	printDiff(&buf, diff(base, cur))
	for _, s := range []string{"newly missed racy tests (1)", "new false positives (1)", "REGRESSED"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("printed diff lacks %q:\n%s", s, buf.String())
		}
	}
}

func TestPrepareRace(t *testing.T) {
	src, dst := t.TempDir(), t.TempDir()
	files := map[string]string{
		"ok_test.go": "package race_test\n\nimport \"testing\"\n\nfunc TestRaceOK(t *testing.T) {}\n",
		"st_test.go": "package race_test\n\nimport (\n\t\"internal/synctest\"\n\t\"testing\"\n)\n\nfunc TestRaceST(t *testing.T) {\n\tsynctest.Run(func() {\n\t\tsynctest.Wait()\n\t})\n}\n",
		"te_test.go": "package race_test\n\nimport (\n\t\"internal/testenv\"\n\t\"testing\"\n)\n\nfunc TestNoRaceTE(t *testing.T) { _ = testenv.GoToolPath(t) }\n",
		"ig_test.go": "//go:build ignore\n\npackage race_test\n",
		"main.go":    "package main\n\nfunc main() {}\n",
	}
	for name, s := range files {
		if err := os.WriteFile(filepath.Join(src, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := prepareRace(src, dst, "1.26")
	if err != nil {
		t.Fatal(err)
	}
	skipped := map[string]string{}
	for _, n := range res.Skipped {
		skipped[n.File] = n.Note + " " + strings.Join(n.Tests, ",")
	}
	for file, want := range map[string]string{"te_test.go": "internal/testenv", "ig_test.go": "build constraints", "main.go": "not a _test.go file"} {
		if !strings.Contains(skipped[file], want) {
			t.Errorf("skipped[%s] = %q, want it to mention %q", file, skipped[file], want)
		}
	}
	if !strings.Contains(skipped["te_test.go"], "TestNoRaceTE") || len(skipped) != 3 {
		t.Errorf("skipped = %v", skipped)
	}
	if len(res.Rewritten) != 1 || res.Rewritten[0].File != "st_test.go" {
		t.Errorf("rewritten = %+v", res.Rewritten)
	}
	got, err := os.ReadFile(filepath.Join(dst, "st_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	if s := string(got); !strings.Contains(s, `"testing/synctest"`) || !strings.Contains(s, "synctest.Test(t, func(*testing.T) {") {
		t.Errorf("rewritten file:\n%s", s)
	}
	ents, _ := os.ReadDir(dst)
	if len(ents) != 3 { // go.mod, ok_test.go, st_test.go
		t.Errorf("copied %d files, want 3", len(ents))
	}
}

func TestGoKerLayout(t *testing.T) {
	root := t.TempDir()
	mk := func(path, s string) {
		p := filepath.Join(root, path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mk("go.mod", "module github.com/timmyyuan/gobench\n\ngo 1.13\n")
	mk("gobench/configures/goker/blocking.json", `{"etcd_1": {"type": "Resource Deadlock", "subtype": "Double locking"}}`)
	mk("gobench/goker/blocking/etcd/1/etcd1_test.go", "package etcd1\n")
	mk("gobench/goker/nonblocking/grpc/2/grpc2_test.go", "package grpc2\n")
	mk("gobench/goker/nonblocking/grpc/2/README.md", "| Bug ID|  Ref | Patch | Type | SubType | SubsubType |\n| ---- | ---- | ---- | ---- | ---- | ---- |\n|[grpc#2]|[pull request]|[patch]| NonBlocking | Traditional | Data race |\n")
	mk("gobench/goker/nonblocking/grpc/README.md", "not a kernel\n")
	goker, configs, err := gokerDirs(root)
	if err != nil {
		t.Fatal(err)
	}
	ks, notes, err := findKernels(goker, configs)
	if err != nil {
		t.Fatal(err)
	}
	if len(ks) != 2 || ks[0].ID != "etcd_1" || ks[0].Subtype != "Double locking" || ks[1].ID != "grpc_2" || ks[1].Type != "Traditional" || ks[1].Subtype != "Data race" {
		t.Errorf("kernels = %+v", ks)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "nonblocking.json") {
		t.Errorf("notes = %v", notes)
	}
	for _, asTests := range []bool{false, true} {
		dst := t.TempDir()
		if err := prepareGoKer(ks, dst, "1.13", asTests); err != nil {
			t.Fatal(err)
		}
		want := "blocking/etcd/1/etcd1.go"
		if asTests {
			want = "blocking/etcd/1/etcd1_test.go"
		}
		if _, err := os.Stat(filepath.Join(dst, want)); err != nil {
			t.Errorf("asTests=%v: %v", asTests, err)
		}
		if mod, _ := os.ReadFile(filepath.Join(dst, "go.mod")); string(mod) != "module gokercorpus\n\ngo 1.13\n" {
			t.Errorf("go.mod = %q", mod)
		}
	}
	if v := goDirective(filepath.Join(root, "go.mod"), "x"); v != "1.13" {
		t.Errorf("go directive = %q", v)
	}
	if v := langVersion("go1.26.8"); v != "1.26" {
		t.Errorf("langVersion = %q", v)
	}
}

// TestFull runs the whole benchmark, race corpus only (GoKer too when
// SYNCVET_QUALITY_GOKER names a checkout). It builds syncvet and takes
// about a minute, so it runs only when SYNCVET_QUALITY_FULL=1.
func TestFull(t *testing.T) {
	if os.Getenv("SYNCVET_QUALITY_FULL") != "1" {
		t.Skip("set SYNCVET_QUALITY_FULL=1 to run the whole benchmark")
	}
	args := []string{"-json"}
	if g := os.Getenv("SYNCVET_QUALITY_GOKER"); g != "" {
		args = append(args, "-goker", g)
	}
	var out, errOut bytes.Buffer
	if code := qualityMain(args, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var r Result
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if r.Race == nil || r.Race.Total.TP+r.Race.Total.FN < 200 || r.Race.Total.FP+r.Race.Total.TN < 100 {
		t.Errorf("race corpus scored too few tests: %+v", r.Race)
	}
	t.Logf("race corpus: precision %.2f, recall %.2f", r.Race.Total.Precision, r.Race.Total.Recall)
}
