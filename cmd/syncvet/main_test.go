package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// syncvetBin is the syncvet binary built once for these tests.
var syncvetBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "syncvet-test")
	if err != nil {
		panic(err)
	}
	syncvetBin = filepath.Join(dir, "syncvet")
	build := exec.Command("go", "build", "-o", syncvetBin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("building syncvet: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// run runs syncvet (or, with vet, go vet using syncvet as its vet tool)
// in dir and returns stdout, stderr and the exit code.
func run(t *testing.T, dir string, vet bool, args ...string) (string, string, int) {
	t.Helper()
	var cmd *exec.Cmd
	if vet {
		cmd = exec.Command("go", append([]string{"vet", "-vettool=" + syncvetBin}, args...)...)
	} else {
		cmd = exec.Command(syncvetBin, args...)
	}
	cmd.Dir = dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running %v: %v", cmd.Args, err)
	}
	return out.String(), errOut.String(), code
}

var findingLine = regexp.MustCompile(`^(\S+\.go:\d+:\d+): (.*?)(?: \((\w+)\))?$`)

// findings returns the "file:line:col: message" lines of out, sorted,
// with the standalone driver's " (check)" suffix removed.
func findings(out string) []string {
	var fs []string
	for _, l := range strings.Split(out, "\n") {
		// go vet prints related positions as "pos: \tmessage" lines.
		if m := findingLine.FindStringSubmatch(l); m != nil && !strings.HasPrefix(m[2], "\t") {
			fs = append(fs, m[1]+": "+m[2])
		}
	}
	sort.Strings(fs)
	return fs
}

const repoRoot = "../.."

func TestStandaloneMatchesVetTool(t *testing.T) {
	out, stderr, code := run(t, repoRoot, false, "./testdata/example/...")
	if code != exitFindings {
		t.Fatalf("syncvet exit code = %d, want %d; stderr:\n%s", code, exitFindings, stderr)
	}
	for _, want := range []string{
		`bank.go:\d+:\d+: .*copies lock value.* \(copylocks\)`,
		`bank.go:\d+:\d+: WaitGroup.Add called from inside new goroutine \(waitgroup\)`,
		`bank.go:\d+:\d+: empty critical section: a.mu is unlocked right after it is locked \(overlock\)`,
		`bank.go:\d+:\d+: unsynchronized read of a.balance: \(\*Account\).Balance reads it without a.mu.* \(sharedaccess\)`,
		`bank.go:\d+:\d+: lock order inversion: Ledger.mu acquired while holding Account.mu.* \(lockorder\)`,
		`bank.go:\d+:\d+: l.mu held across blocking send on l.notify \(overlock\)`,
		`bank.go:\d+:\d+: goroutine leak: the send on answer blocks for ever when \(\*Ledger\).Quote returns without receiving from it \(goroutineleak\)`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("standalone output lacks %s; got:\n%s", want, out)
		}
	}
	for _, off := range []string{"SA2000", "SA2001", "SA2002", "SA2003"} {
		if strings.Contains(out, "("+off+")") {
			t.Errorf("%s is off by default, yet reported:\n%s", off, out)
		}
	}
	_, vetOut, vetCode := run(t, repoRoot, true, "./testdata/example/...")
	if vetCode == 0 {
		t.Errorf("go vet -vettool=syncvet exit code = 0, want non-zero")
	}
	a, b := findings(out), findings(vetOut)
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("standalone and vet tool findings differ:\nstandalone:\n%s\nvet tool:\n%s",
			strings.Join(a, "\n"), strings.Join(b, "\n"))
	}
}

func TestJSON(t *testing.T) {
	out, stderr, code := run(t, repoRoot, false, "-json", "./testdata/example/...")
	if code != exitFindings {
		t.Fatalf("exit code = %d, want %d; stderr:\n%s", code, exitFindings, stderr)
	}
	var tr map[string]map[string][]struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal([]byte(out), &tr); err != nil {
		t.Fatalf("-json output does not parse: %v\n%s", err, out)
	}
	pkg := tr["github.com/syncvet/syncvet/testdata/example/bank"]
	if len(pkg["copylocks"]) == 0 || len(pkg["waitgroup"]) == 0 || len(pkg["overlock"]) == 0 {
		t.Errorf("-json output lacks the expected checks: %s", out)
	}
}

func TestOnlySomeChecks(t *testing.T) {
	out, _, _ := run(t, repoRoot, false, "-copylocks", "./testdata/example/...")
	if !strings.Contains(out, "(copylocks)") || strings.Contains(out, "(overlock)") {
		t.Errorf("-copylocks should run only copylocks; got:\n%s", out)
	}
	out, _, _ = run(t, repoRoot, false, "-copylocks=false", "./testdata/example/...")
	if strings.Contains(out, "(copylocks)") || !strings.Contains(out, "(overlock)") {
		t.Errorf("-copylocks=false should turn off only copylocks; got:\n%s", out)
	}
}

// TestOffByDefault checks that a check of analyzers.OffByDefault runs
// only when named, in both modes, and that naming it runs only the
// named checks.
func TestOffByDefault(t *testing.T) {
	const sa2000 = `bank.go:\d+:\d+: should call wg.Add\(1\) before starting the goroutine`
	re := regexp.MustCompile(sa2000)
	for _, vet := range []bool{false, true} {
		get := func(args ...string) string {
			out, stderr, _ := run(t, repoRoot, vet, append(args, "./testdata/example/...")...)
			if vet {
				return stderr // go vet prints findings on stderr
			}
			return out
		}
		if out := get(); re.MatchString(out) {
			t.Errorf("vet tool %v: SA2000 reported by default:\n%s", vet, out)
		}
		for _, flag := range []string{"-SA2000", "-SA2000=true"} {
			out := get(flag)
			if !re.MatchString(out) {
				t.Errorf("vet tool %v: %s: no SA2000 finding:\n%s", vet, flag, out)
			}
			if strings.Contains(out, "WaitGroup.Add called from inside new goroutine") {
				t.Errorf("vet tool %v: %s should run only SA2000, waitgroup ran too:\n%s", vet, flag, out)
			}
		}
		out := get("-SA2000", "-waitgroup")
		if !re.MatchString(out) || !strings.Contains(out, "WaitGroup.Add called from inside new goroutine") {
			t.Errorf("vet tool %v: -SA2000 -waitgroup should run both:\n%s", vet, out)
		}
		out = get("-copylocks=false")
		if re.MatchString(out) || strings.Contains(out, "(SA2001)") || !strings.Contains(out, "empty critical section: a.mu") {
			t.Errorf("vet tool %v: -copylocks=false should leave SA2000 and SA2001 off, overlock on:\n%s", vet, out)
		}
		out = get("-SA2001")
		if !regexp.MustCompile(`bank.go:\d+:\d+: empty critical section( \(SA2001\))?$`).MatchString(strings.Split(strings.TrimSpace(out), "\n")[0]) || strings.Contains(out, "unlocked right after") {
			t.Errorf("vet tool %v: -SA2001 should run only SA2001:\n%s", vet, out)
		}
	}
}

func TestCleanExitsZero(t *testing.T) {
	dir := writeModule(t, map[string]string{
		"ok/ok.go": "package ok\n\nfunc F() int { return 1 }\n",
	})
	out, stderr, code := run(t, dir, false, "./...")
	if code != exitClean || out != "" {
		t.Errorf("clean package: exit %d, stdout %q, stderr %q; want exit 0 and no output", code, out, stderr)
	}
}

func TestUnknownFlag(t *testing.T) {
	_, stderr, code := run(t, repoRoot, false, "-no-such-flag", "./...")
	if code != exitUsage {
		t.Errorf("exit code = %d, want %d", code, exitUsage)
	}
	if !strings.Contains(stderr, "flag provided but not defined: -no-such-flag") || !strings.Contains(stderr, "Usage:") {
		t.Errorf("stderr should name the flag and print usage; got:\n%s", stderr)
	}
}

func TestBrokenPackageDoesNotHideOthers(t *testing.T) {
	dir := writeModule(t, map[string]string{
		"good/good.go": "package good\n\nimport \"sync\"\n\nfunc F(mu *sync.Mutex) {\n\tmu.Lock()\n\tmu.Unlock()\n}\n",
		"bad/bad.go":   "package bad\n\nfunc G() int { return \"x\" }\n",
	})
	out, stderr, code := run(t, dir, false, "./...")
	if code != exitError {
		t.Errorf("exit code = %d, want %d", code, exitError)
	}
	if !strings.Contains(stderr, "example.com/m/bad") || !strings.Contains(stderr, "bad.go:3") {
		t.Errorf("stderr should name the broken package and its error; got:\n%s", stderr)
	}
	if !strings.Contains(out, "good.go:6:9: empty critical section: mu is unlocked right after it is locked (overlock)") {
		t.Errorf("the loadable package should still be reported; stdout:\n%s", out)
	}
}

// TestUnsetupPackageDoesNotHideOthers: go vet stops before analysing
// anything when one package cannot be set up (an embed pattern without
// files); syncvet names that package and analyses the others.
func TestUnsetupPackageDoesNotHideOthers(t *testing.T) {
	dir := writeModule(t, map[string]string{
		"good/good.go": "package good\n\nimport \"sync\"\n\nfunc F(mu *sync.Mutex) {\n\tmu.Lock()\n\tmu.Unlock()\n}\n",
		"ui/ui.go":     "package ui\n\nimport _ \"embed\"\n\n//go:embed dist/*\nvar index string\n",
	})
	out, stderr, code := run(t, dir, false, "./...")
	if code != exitError {
		t.Errorf("exit code = %d, want %d", code, exitError)
	}
	if !strings.Contains(stderr, "example.com/m/ui: not analysed:") || !strings.Contains(stderr, "dist/*") {
		t.Errorf("stderr should name the package left out and its error; got:\n%s", stderr)
	}
	if !strings.Contains(out, "good.go:6:9: empty critical section: mu is unlocked right after it is locked (overlock)") {
		t.Errorf("the other package should still be reported; stdout:\n%s", out)
	}
}

func TestPatternMatchesNothing(t *testing.T) {
	dir := writeModule(t, map[string]string{"ok/ok.go": "package ok\n"})
	_, stderr, code := run(t, dir, false, "./nothing/...")
	if code == exitClean {
		t.Errorf("exit code = 0 for a pattern that matches nothing")
	}
	if !strings.Contains(stderr, "nothing") {
		t.Errorf("stderr should name the pattern; got:\n%s", stderr)
	}
}

func TestHelp(t *testing.T) {
	out, _, code := run(t, repoRoot, false, "help")
	if code != 0 || !strings.Contains(out, "copylocks") || !strings.Contains(out, "SA2003") {
		t.Errorf("help: exit %d, output:\n%s", code, out)
	}
	if !strings.Contains(out, "(off by default: waitgroup reports the same; -SA2000 runs it)") ||
		!strings.Contains(out, "(off by default: testinggoroutine reports the same; -SA2002 runs it)") ||
		!strings.Contains(out, "(off by default: overlock reports the same; -SA2001 runs it)") ||
		!strings.Contains(out, "(off by default: lockorder reports the same; -SA2003 runs it)") {
		t.Errorf("help should say which checks are off by default:\n%s", out)
	}
	out, _, code = run(t, repoRoot, false, "help", "SA2001")
	if code != 0 || !strings.Contains(out, "empty critical section") && !strings.Contains(out, "Empty critical section") {
		t.Errorf("help SA2001: exit %d, output:\n%s", code, out)
	}
	out, _, code = run(t, repoRoot, false, "help", "nosuchcheck")
	if code != exitUsage || !strings.Contains(out, "nosuchcheck") {
		t.Errorf("help nosuchcheck: exit %d, output:\n%s", code, out)
	}
}

// writeModule writes a module example.com/m with the given files into a
// temporary directory and returns it.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module example.com/m\n\ngo 1.26\n"
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestDependencyThenRoot: a package first analysed as a dependency of
// the named packages (facts only, findings dropped) keeps its findings
// when it is named itself later. The go command caches a unit's output
// without telling the two apart, so the driver scopes the vet tool's ID
// by its run (vetscope.go). The source carries the test's start time,
// so no earlier run's cache entry can answer.
func TestDependencyThenRoot(t *testing.T) {
	stamp := fmt.Sprintf("// %d\n", time.Now().UnixNano())
	dir := writeModule(t, map[string]string{
		"b/b.go": "package b\n\nimport \"sync\"\n\n" + stamp +
			"type C struct {\n\tmu sync.Mutex\n\tn  int\n}\n\n" +
			"func (c *C) Inc() {\n\tc.mu.Lock()\n\tc.n++\n\tc.mu.Unlock()\n}\n\n" +
			"func (c *C) N() int { return c.n }\n",
		"a/a.go": "package a\n\nimport \"example.com/m/b\"\n\n" + stamp + "func Use(c *b.C) int { c.Inc(); return c.N() }\n",
	})
	if _, stderr, code := run(t, dir, false, "./a"); code != exitClean && code != exitFindings {
		t.Fatalf("syncvet ./a: exit %d, stderr %s", code, stderr)
	}
	out, stderr, code := run(t, dir, false, "./b")
	if code != exitFindings || !strings.Contains(out, "unsynchronized read of c.n") {
		t.Errorf("syncvet ./b after ./a: exit %d, stdout %q, stderr %q; want b's finding", code, out, stderr)
	}
}
