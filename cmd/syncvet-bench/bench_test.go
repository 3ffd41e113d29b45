package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary serve as the -toolexec wrapper of the
// end-to-end test, as the real binary does.
func TestMain(m *testing.M) {
	if len(os.Args) > 2 && os.Args[1] == "toolexec" {
		os.Exit(toolexec(os.Args[2], os.Args[3:]))
	}
	os.Exit(m.Run())
}

func TestAddNonce(t *testing.T) {
	for _, tc := range []struct{ in, nonce, want string }{
		{"vet version go1.26.8\n", "7", "vet version go1.26.8 bench=7"},
		{"/x/syncvet version devel comments-go-here buildID=abcd\n", "7", "/x/syncvet version devel comments-go-here buildID=abcd-7"},
		{"vet version go1.26.8\n", "", "vet version go1.26.8"},
	} {
		if got := addNonce(tc.in, tc.nonce); got != tc.want {
			t.Errorf("addNonce(%q, %q) = %q, want %q", tc.in, tc.nonce, got, tc.want)
		}
	}
}

func TestVetxFileName(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ files, want string }{
		{`["/m/p/a.go"]`, "example.com%2Fp@b042.vetx"},
		{`["/m/p/a.go", "/m/p/a_test.go"]`, "example.com%2Fp%20%5Btest%5D@b042.vetx"},
	} {
		cfg := filepath.Join(dir, "vet.cfg")
		if err := os.WriteFile(cfg, []byte(`{"GoFiles": `+tc.files+`}`), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := vetxFileName(cfg, "example.com/p", "/tmp/go-build1/b042/vet.out"); got != tc.want {
			t.Errorf("vetxFileName with GoFiles %s = %q, want %q", tc.files, got, tc.want)
		}
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		xs   []float64
		want float64
	}{
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{5}, 5},
	} {
		if got := median(tc.xs); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.xs, got, tc.want)
		}
	}
	if !math.IsNaN(median(nil)) {
		t.Errorf("median(nil) is not NaN")
	}
}

func sec(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// synthetic builds results with two runs where syncvet takes 1.2× and
// then 1.4× go vet's wall time, and its heaviest unit 300 MiB vs 200.
func synthetic() *results {
	r := &results{runs: 2, modes: []string{"warm"}, tools: []string{"vet", "syncvet", "syncvet-nosa"},
		targets: []*target{{name: "mod"}}}
	add := func(run int, tool string, wall float64, rssMiB int64, unitCPU float64) {
		r.measurements = append(r.measurements, &measurement{
			target: "mod", mode: "warm", tool: tool, run: run, wall: sec(wall), cpu: sec(wall),
			units: []unit{
				{ID: "example.com/mod", Wall: sec(unitCPU), CPU: sec(unitCPU), RSS: rssMiB << 10},
				{ID: "runtime", VetxOnly: true, Wall: sec(unitCPU / 2), CPU: sec(unitCPU / 2), RSS: 10 << 10},
			},
		})
	}
	add(1, "vet", 10, 200, 1)
	add(1, "syncvet", 12, 300, 2)
	add(1, "syncvet-nosa", 9, 250, 1.5)
	add(2, "vet", 20, 200, 1)
	add(2, "syncvet", 28, 300, 4)
	add(2, "syncvet-nosa", 21, 250, 3)
	return r
}

func TestRatiosPairByPair(t *testing.T) {
	r := synthetic()
	if got := r.ratio("mod", "warm", "syncvet", "vet", wallS); math.Abs(got-1.3) > 1e-9 {
		t.Errorf("wall ratio = %v, want 1.3 (median of 1.2 and 1.4)", got)
	}
	if got := r.ratio("mod", "warm", "syncvet", "vet", toolRSSM); math.Abs(got-1.5) > 1e-9 {
		t.Errorf("RSS ratio = %v, want 1.5", got)
	}
	if got := r.share("mod", "warm", "syncvet", "syncvet-nosa", wallS); math.Abs(got-0.25) > 1e-9 {
		t.Errorf("staticcheck wall share = %v, want 0.25 (median of 0.25 and 0.25)", got)
	}
	if got := r.med("mod", "warm", "vet", wallS); got != 15 {
		t.Errorf("median vet wall = %v, want 15", got)
	}
}

func TestMarkdown(t *testing.T) {
	out := synthetic().markdown(5)
	for _, want := range []string{
		"| mod | warm | syncvet (default checks) | 1+1 | 20.0 | 1.30× |",
		"| mod | 20.0 | 15.0 | 25% |",
		"| example.com/mod | mod | 3.00 |",
		"| runtime (facts only) | mod | 1.50 |",
		"per-package peak RSS 1.50× (target ≤ 1.5×: met)",
		"wall 1.30× go vet (target ≤ 1.25×: NOT met)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestSplitAndRotate(t *testing.T) {
	got := rotate(splitList(" vet, ssafloor ,,syncvet"), 1)
	if strings.Join(got, ",") != "ssafloor,syncvet,vet" {
		t.Errorf("rotate = %v", got)
	}
}

func TestFlagsRejected(t *testing.T) {
	for _, args := range [][]string{
		{"-modes", "hot"},
		{"-tools", "syncvet"},
		{"-runs", "0"},
		{"-tools", "vet,golangci"},
	} {
		var out, errOut bytes.Buffer
		if code := benchMain(args, &out, &errOut); code != 2 {
			t.Errorf("benchMain(%v) = %d, want 2 (stderr %q)", args, code, errOut.String())
		}
	}
}

// TestEndToEnd runs the benchmark for real over a two-package module:
// go vet and the floor tool, warm, one run.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet")
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	// buildTools builds ./cmd/... relative to the module root.
	root := filepath.Join(wd, "..", "..")
	t.Chdir(root)
	work := t.TempDir()
	var out, errOut bytes.Buffer
	code := benchMain([]string{
		"-targets", filepath.Join(wd, "testdata", "tiny"),
		"-modes", "warm", "-tools", "vet,ssafloor", "-runs", "1",
		"-work", work, "-keep",
	}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	report := out.String()
	for _, want := range []string{
		"| tiny | warm | go vet (default suite) | 2+",
		"| tiny | warm | SSA floor (buildssa only) | 2+",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	// Each tool logged both packages of the module, and the floor also
	// built SSA for sync, a dependency analysed for facts only.
	logs, _ := filepath.Glob(filepath.Join(work, "logs", "*-ssafloor-*.jsonl"))
	if len(logs) != 1 {
		t.Fatalf("floor logs = %v", logs)
	}
	units, err := readLog(logs[0])
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, u := range units {
		got[u.ID] = u.VetxOnly
		if u.CPU <= 0 || u.RSS <= 0 {
			t.Errorf("unit %s: cpu %v rss %d, want both > 0", u.ID, u.CPU, u.RSS)
		}
	}
	if v, ok := got["example.com/tiny"]; !ok || v {
		t.Errorf("example.com/tiny not analysed for findings: %v", got)
	}
	if v, ok := got["sync"]; !ok || !v {
		t.Errorf("sync not analysed for facts only: %v", got)
	}
}

func TestExportRev(t *testing.T) {
	if _, err := os.Stat("../../.git"); err != nil {
		t.Skip("not in a git checkout")
	}
	dir := t.TempDir()
	if err := exportRev("HEAD", dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"go.mod", "cmd/syncvet/main.go", "cmd/syncvet-bench/ssafloor/main.go"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("export lacks %s: %v", f, err)
		}
	}
}

func TestVetxSizes(t *testing.T) {
	dir := t.TempDir()
	withHeader := filepath.Join(dir, "new.vetx")
	data := []byte("vetx\x05\x00\x00\x00\x03\x00\x00\x00TTTTTFFF")
	if err := os.WriteFile(withHeader, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if f, w := vetxSizes(withHeader); f != 3 || w != int64(len(data)) {
		t.Errorf("vetx with export data: facts %d, whole %d; want 3, %d", f, w, len(data))
	}
	plain := filepath.Join(dir, "old.vetx")
	if err := os.WriteFile(plain, []byte("gob facts only"), 0o644); err != nil {
		t.Fatal(err)
	}
	if f, w := vetxSizes(plain); f != 14 || w != 14 {
		t.Errorf("facts-only file: facts %d, whole %d; want 14, 14", f, w)
	}
	if f, w := vetxSizes(filepath.Join(dir, "missing")); f != 0 || w != 0 {
		t.Errorf("missing file: %d, %d", f, w)
	}
}

func TestEditTarget(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, body string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/m\n")
	write("a.go", "package m\n")
	write("sub/b.go", "package sub") // no final newline
	write("sub/b_test.go", "package sub\n")
	write("testdata/x.go", "package x\n")
	write("vendor/v/v.go", "package v\n")
	write(".hidden/h.go", "package h\n")
	write("nested/go.mod", "module example.com/nested\n")
	write("nested/n.go", "package nested\n")
	files, err := moduleGoFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for f := range files {
		rel, _ := filepath.Rel(dir, f)
		got = append(got, filepath.ToSlash(rel))
	}
	sort.Strings(got)
	if strings.Join(got, " ") != "a.go sub/b.go sub/b_test.go" {
		t.Fatalf("module files = %v, want a.go sub/b.go sub/b_test.go", got)
	}
	tg := &target{dir: dir, orig: files}
	for _, stamp := range []string{"one", "two"} {
		if err := editTarget(tg, stamp); err != nil {
			t.Fatal(err)
		}
	}
	// Each edit starts from the original: one comment, the last one.
	for rel, want := range map[string]string{
		"a.go":          "package m\n// syncvet-bench edit two\n",
		"sub/b.go":      "package sub\n// syncvet-bench edit two\n",
		"sub/b_test.go": "package sub\n// syncvet-bench edit two\n",
		"testdata/x.go": "package x\n",
		"nested/n.go":   "package nested\n",
	} {
		data, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != want {
			t.Errorf("%s after two edits = %q, want %q", rel, data, want)
		}
	}
}

// syntheticEdit builds edit-mode results with two runs: syncvet takes
// 2× and then 1.2× go vet's tool CPU, 1.4× its peak RSS and 20× its
// facts.
func syntheticEdit() *results {
	r := &results{runs: 2, modes: []string{"edit"}, tools: []string{"vet", "ssafloor", "syncvet"},
		targets: []*target{{name: "mod"}}}
	add := func(run int, tool string, cpu float64, rssMiB, facts int64) {
		r.measurements = append(r.measurements, &measurement{
			target: "mod", mode: "edit", tool: tool, run: run, wall: sec(cpu), cpu: sec(cpu),
			units: []unit{
				{ID: "example.com/mod", Wall: sec(cpu / 2), CPU: sec(cpu / 2), RSS: rssMiB << 10, Facts: facts},
				{ID: "example.com/mod/sub", Wall: sec(cpu / 2), CPU: sec(cpu / 2), RSS: 10 << 10, Facts: facts},
			},
		})
	}
	add(1, "vet", 1, 100, 1024)
	add(1, "ssafloor", 1, 100, 0)
	add(1, "syncvet", 2, 140, 20*1024)
	add(2, "vet", 2, 100, 1024)
	add(2, "ssafloor", 2, 100, 0)
	add(2, "syncvet", 2.4, 140, 20*1024)
	return r
}

func TestEditMarkdown(t *testing.T) {
	r := syntheticEdit()
	if got := r.ratio("mod", "edit", "syncvet", "vet", toolCPUS); math.Abs(got-1.6) > 1e-9 {
		t.Errorf("CPU ratio = %v, want 1.6 (median of 2 and 1.2)", got)
	}
	out := r.markdown(5)
	for _, want := range []string{
		"**edit** (analysis-bound)",
		"### Targets of the analysis-bound mode (issue 18)",
		"| mod | 2 | 1.50 / 1.50 / 2.20 | 1.60× NOT met | 100 / 140 | 1.40× met | 2 / 40 | 20.00× NOT met | example.com/mod 1.20 s met | no |",
		"| example.com/mod | mod | 1.10 |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	// Issue 9's cold and warm targets are not judged on edit runs.
	if strings.Contains(out, "### Targets\n") {
		t.Errorf("report judges the cold/warm targets without cold or warm runs:\n%s", out)
	}
}

func TestEditModeAccepted(t *testing.T) {
	c := config{modes: []string{"edit"}, tools: []string{"vet", "syncvet"}, targets: []string{"raft"}, runs: 1}
	if err := validate(&c); err != nil {
		t.Errorf("validate(edit) = %v", err)
	}
	for _, n := range []string{"client_golang", "etcd"} {
		if knownTargets[n] == "" {
			t.Errorf("known target %s missing", n)
		}
	}
}

// TestEndToEndEdit runs edit mode for real over the two-package module
// with go vet and the floor: after the unmeasured priming, a measured
// run reruns the module's own units and no dependency's, and the
// module's own files stay untouched (edit mode edits a copy).
func TestEndToEndEdit(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet")
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tiny := filepath.Join(wd, "testdata", "tiny")
	before, err := moduleGoFiles(tiny)
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(wd, "..", "..")
	t.Chdir(root)
	work := t.TempDir()
	var out, errOut bytes.Buffer
	code := benchMain([]string{
		"-targets", tiny, "-modes", "edit", "-tools", "vet,ssafloor", "-runs", "2",
		"-work", work, "-vetx",
	}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	report := out.String()
	for _, want := range []string{
		"| tiny | edit | go vet (default suite) | 2+0 |",
		"| tiny | edit | SSA floor (buildssa only) | 2+0 |",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	logs, _ := filepath.Glob(filepath.Join(work, "logs", "*-edit-*.jsonl"))
	if len(logs) != 4 {
		t.Fatalf("edit logs = %v, want 2 tools × 2 runs", logs)
	}
	for _, l := range logs {
		units, err := readLog(l)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, u := range units {
			ids[u.ID] = true
			if !strings.HasPrefix(u.ID, "example.com/tiny") {
				t.Errorf("%s: dependency unit %s reran; its vet result should be cached", filepath.Base(l), u.ID)
			}
		}
		if !ids["example.com/tiny"] || !ids["example.com/tiny/use"] {
			t.Errorf("%s: units %v, want both of the module's packages", filepath.Base(l), ids)
		}
	}
	// The .vetx files of the measured units were kept for the facts
	// breakdown.
	vetx, _ := filepath.Glob(filepath.Join(work, "vetx", "*-edit-ssafloor-*", "*.vetx"))
	if len(vetx) == 0 {
		t.Errorf("no .vetx files kept under %s", filepath.Join(work, "vetx"))
	}
	after, err := moduleGoFiles(tiny)
	if err != nil {
		t.Fatal(err)
	}
	for f, data := range before {
		if !bytes.Equal(after[f], data) {
			t.Errorf("edit mode changed the original %s", f)
		}
	}
}

func TestVetxUnit(t *testing.T) {
	for _, tc := range []struct{ file, id, pkg string }{
		{"net%2Fhttp@b042.vetx", "net/http", "net/http"},
		{"net%2Fhttp%20%5Bnet%2Fhttp.test%5D%20%5Btest%5D@b043.vetx", "net/http [net/http.test]", "net/http"},
		{"net%2Fhttp_test%20%5Bnet%2Fhttp.test%5D%20%5Btest%5D@b044.vetx", "net/http_test [net/http.test]", "net/http_test"},
	} {
		id, pkg := vetxUnit(filepath.Join("dir", tc.file))
		if id != tc.id || pkg != tc.pkg {
			t.Errorf("vetxUnit(%s) = %q, %q; want %q, %q", tc.file, id, pkg, tc.id, tc.pkg)
		}
	}
}
