package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
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
