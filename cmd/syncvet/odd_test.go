package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// The odd-code fixtures under testdata/odd are small modules holding the
// code that users have and analyzers meet least: cgo, assembly, build
// tags, recursive generics, range-over-func loops, go.work workspaces,
// vendored modules, test-only packages and packages that do not
// type-check. TestOdd runs syncvet on each, as a user would, and
// requires exactly the findings, exit status and errors listed here;
// TestOddLargeGenerated does the same for a very large generated file.

// oddFinding is one finding syncvet prints. Positions are relative to
// the fixture's root, without the column.
type oddFinding struct {
	pos     string   // file:line
	check   string   // the check name printed after the message
	msg     string   // a substring of the message
	related []string // file:line of each related position, in order; nil: not checked
}

// oddKnown is a problem of syncvet that a case shows and that is not
// fixed yet: the main check tolerates it, and a subtest that asserts the
// right behaviour is skipped with why.
type oddKnown struct {
	why     string
	missed  []oddFinding // not reported today, though they should be
	garbage []string     // regexps that match messages printed today, though they should not
}

type oddCase struct {
	name    string
	fixture string   // directory under testdata/odd, copied to a temporary directory
	dir     string   // where to run syncvet, relative to the fixture
	args    []string // syncvet's arguments; "./..." when nil
	env     []string // added to the environment
	code    int      // the exit status when it is not 0 or 3, which follow from the findings
	want    []oddFinding
	stderr  []string // substrings of stderr; when none, stderr must be empty
	// notStderr are substrings that stderr must not contain.
	notStderr []string
	known     []oddKnown
	needs     func() string // why the case cannot run here, or ""
	// modCache puts the copied fixture beneath GOMODCACHE, as a
	// dependency's files are: go refuses an overlay of them.
	modCache bool
	skip     string // a known problem that makes the case fail: it is skipped, asserting the right outcome
}

// oddGarbage matches what a message must never contain: SSA value names
// (t3), SSA function names (F$1), unfilled or failed formatting, and
// type-checker internals.
var oddGarbage = []string{`\bt\d+\b`, `\$\d`, `%!`, `<nil>`, `invalid type`, `internal error`, `panic`, `\[T any\]`}

var oddCases = []oddCase{
	{
		name:    "cgo",
		fixture: "cgo",
		needs:   needCgo,
		want: []oddFinding{
			{"counter/counter.go:25", "sharedaccess", "unsynchronized write to h.n: goroutines running BadCount.func1 may run at once", []string{"counter/counter.go:23"}},
			{"pure/pure.go:14", "sharedaccess", "unsynchronized write to last: goroutines running Last.func1 may run at once", []string{"pure/pure.go:12"}},
		},
	},
	{
		// Without cgo the go command leaves the cgo package out of ./...
		// and the other is still analysed.
		name:    "cgo disabled",
		fixture: "cgo",
		env:     []string{"CGO_ENABLED=0"},
		want: []oddFinding{
			{"pure/pure.go:14", "sharedaccess", "unsynchronized write to last", []string{"pure/pure.go:12"}},
		},
	},
	{
		// Add and Store have no Go body; starting them with go and calling
		// them from goroutines is no finding of its own.
		name:    "asm",
		fixture: "asm",
		needs:   needAsm,
		want: []oddFinding{
			{"sum/sum.go:20", "sharedaccess", "unsynchronized write to total: goroutines running BadTotal.func1 may run at once", []string{"sum/sum.go:18"}},
		},
	},
	{
		// extra.go (tag syncvetextra), never.go (ignore) and
		// drop_windows.go are not in this build; their findings are not
		// reported.
		name:    "build tags default",
		fixture: "buildtags",
	},
	{
		name:    "build tags -tags",
		fixture: "buildtags",
		args:    []string{"-tags", "syncvetextra", "./..."},
		want: []oddFinding{
			{"tagged/extra.go:11", "lockorder", "Inc locks c.mu while it is already held", []string{"tagged/extra.go:8"}},
		},
	},
	{
		name:    "generics recursion",
		fixture: "generics",
		args:    []string{"./rec"},
		want:    oddGenericsFindings,
		known:   oddGenericsKnown,
	},
	{
		// The recursive type of cycle does not type-check: go/types
		// reports an instantiation cycle (go vet prints its first line
		// only), and rec is still analysed.
		name:    "generics instantiation cycle",
		fixture: "generics",
		code:    exitError,
		want:    oddGenericsFindings,
		known:   oddGenericsKnown,
		stderr: []string{
			"# example.com/generics/cycle\n",
			"cycle/cycle.go:9:11: instantiation cycle",
		},
	},
	{
		name:    "range-over-func",
		fixture: "rangefunc",
		code:    exitFindings,
		want: []oddFinding{
			// A return from a range-over-func body that keeps the lock
			// the body took (missed between 5abe742 and 052fa3f).
			{"seq/seq.go:48", "overlock", "return leaves s.mu locked", []string{"seq/seq.go:46"}},
		},
		known: []oddKnown{
			{
				why: "sharedaccess misses goroutines started in the body of a range-over-func loop (the same loop over a slice is reported)",
				missed: []oddFinding{
					{"seq/seq.go:121", "sharedaccess", "unsynchronized write to count", nil},
				},
			},
			{
				why: "lockorder does not see that BadYieldLocked runs the loop body of InnerLock holding s.mu",
				missed: []oddFinding{
					{"seq/seq.go:162", "lockorder", "double lock", nil},
				},
			},
		},
	},
	{
		// Facts of example.com/lib reach example.com/app through the
		// workspace.
		name:    "go.work from a module",
		fixture: "gowork",
		dir:     "app",
		env:     []string{"GOWORK="},
		want:    oddWorkFindings,
	},
	{
		name:    "go.work by module path",
		fixture: "gowork",
		args:    []string{"example.com/app/...", "example.com/lib/..."},
		env:     []string{"GOWORK="},
		want:    oddWorkFindings,
	},
	{
		// The workspace root is in no module: the go command says so.
		name:    "go.work root",
		fixture: "gowork",
		env:     []string{"GOWORK="},
		code:    exitError,
		stderr:  []string{"directory prefix . does not contain modules listed in go.work"},
	},
	{
		// Facts of the vendored example.com/pool reach jobs; pool's own
		// bug (pool.go:32) is not the module's and is not reported.
		name:    "vendor",
		fixture: "vendored",
		want:    oddVendorFindings,
	},
	{
		name:    "vendor -mod=vendor",
		fixture: "vendored",
		env:     []string{"GOFLAGS=-mod=vendor"},
		want:    oddVendorFindings,
	},
	{
		name:    "test-only packages",
		fixture: "testonly",
		want: []oddFinding{
			{"extonly/ext_test.go:18", "lockorder", "lock order inversion between two struct{mu sync.Mutex; n int}.mu: a.mu locked before b.mu", []string{"extonly/ext_test.go:25"}},
			{"only/only_test.go:16", "sharedaccess", "unsynchronized write to c.n: the goroutine running (*tally).add writes c.n, which TestRacy reads after the go statement", []string{"only/only_test.go:24", "only/only_test.go:23"}},
			{"only/only_test.go:34", "testinggoroutine", "call to (*testing.T).Fatal from a non-test goroutine", []string{}},
		},
	},
	{
		// bad does not type-check, syntax does not parse, user imports
		// bad and cannot be analysed; good is analysed and reported.
		// tagtests builds but its tests do not (they need a build tag):
		// it is analysed without them, and usetags, which imports it,
		// is analysed too.
		name:    "broken",
		fixture: "broken",
		code:    exitError,
		want: []oddFinding{
			{"good/good.go:17", "overlock", "q.mu held across blocking receive from q.ready", []string{"good/good.go:15"}},
			{"tagtests/tagtests.go:18", "overlock", "c.mu held across blocking receive from done", []string{"tagtests/tagtests.go:16"}},
			{"usetags/usetags.go:22", "overlock", "g.mu held across blocking receive from open", []string{"usetags/usetags.go:20"}},
		},
		stderr: []string{
			"# example.com/broken/bad\n",
			"bad/bad.go:11:9: cannot use 42 (untyped int constant) as string value in return statement",
			"# example.com/broken/syntax\n",
			"syntax/syntax.go:4:12: expected ')', found '{'",
			"tagtests/tagtests_test.go:6:7: undefined: newTestCounter",
			"syncvet: example.com/broken/tagtests: analysed without its tests, which do not build (errors above)",
			"syncvet: example.com/broken/user: not analysed: it depends on example.com/broken/bad, which does not build",
		},
		notStderr: []string{"usetags: not analysed"},
	},
	{
		// A test of certs embeds a file the module does not ship: go
		// vet cannot set certs up with its tests; syncvet analyses it
		// without them, and plain as usual.
		name:    "test embeds a missing file",
		fixture: "testembed",
		code:    exitError,
		want: []oddFinding{
			{"certs/certs.go:12", "sharedaccess", "unsynchronized write to s.pem: the goroutine running Load.func1 writes s.pem, which Load reads after the go statement", []string{"certs/certs.go:13", "certs/certs.go:12"}},
			{"plain/plain.go:16", "overlock", "b.mu held across blocking receive from ready", []string{"plain/plain.go:14"}},
		},
		stderr: []string{
			"certs/certs_test.go:8:12: pattern testdata/client.crt: no matching files found",
			"syncvet: example.com/testembed/certs: analysed without its tests, which do not build",
		},
	},
	{
		// The same, with the module in the module cache: tagtests
		// cannot be analysed without its tests there, and is named;
		// usetags, which needs only its own code, is analysed.
		name:     "broken, in the module cache",
		fixture:  "broken",
		modCache: true,
		code:     exitError,
		want: []oddFinding{
			{"good/good.go:17", "overlock", "q.mu held across blocking receive from q.ready", []string{"good/good.go:15"}},
			{"usetags/usetags.go:22", "overlock", "g.mu held across blocking receive from open", []string{"usetags/usetags.go:20"}},
		},
		stderr: []string{
			"tagtests/tagtests_test.go:6:7: undefined: newTestCounter",
			"syncvet: example.com/broken/tagtests: not analysed: its tests do not build (errors above), and an overlay cannot leave out test files in the module cache",
			"syncvet: example.com/broken/user: not analysed: it depends on example.com/broken/bad, which does not build",
		},
		notStderr: []string{"usetags: not analysed", "tagtests: analysed without"},
	},
	{
		name:     "test embeds a missing file, in the module cache",
		fixture:  "testembed",
		modCache: true,
		code:     exitError,
		want: []oddFinding{
			{"plain/plain.go:16", "overlock", "b.mu held across blocking receive from ready", []string{"plain/plain.go:14"}},
		},
		stderr: []string{
			"syncvet: example.com/testembed/certs: not analysed: its tests cannot be set up: certs/certs_test.go:8:12: pattern testdata/client.crt: no matching files found",
		},
	},
	{
		name:    "fan-out",
		fixture: "fanout",
		want: []oddFinding{
			// One root cause, one finding: the other five pairs are
			// counted and the other go statements are related positions.
			{"fan/fan.go:13", "sharedaccess", "unsynchronized write to v: the goroutine running Fan.func1 writes v, which the goroutine running Fan.func2 writes (and 5 more conflicts on v among the goroutines Fan starts)",
				[]string{"fan/fan.go:14", "fan/fan.go:13", "fan/fan.go:14", "fan/fan.go:15", "fan/fan.go:16"}},
		},
	},
}

var oddGenericsFindings = []oddFinding{
	{"rec/rec.go:59", "lockorder", "lock order inversion: Grove.mu acquired while holding Forest.mu; (*Grove[T]).Prune acquires them", []string{"rec/rec.go:70"}},
}

var oddGenericsKnown = []oddKnown{
	{
		why: "lockorder does not follow mutual recursion: Ping holds c.mu and calls Pong, which calls Ping, which locks c.mu (the non-generic form is missed too)",
		missed: []oddFinding{
			{"rec/rec.go:125", "lockorder", "double lock", nil},
		},
	},
	{
		why: "sharedaccess misses a captured variable written by two goroutines when their function calls the function that starts them (the non-generic form is missed too)",
		missed: []oddFinding{
			{"rec/rec.go:164", "sharedaccess", "unsynchronized write to total", nil},
		},
	},
}

var oddWorkFindings = []oddFinding{
	{"app/sync2/sync2.go:11", "lockorder", "lock order inversion: Store.mu acquired while holding store.IndexMu (via (*store.Store).Get); (*store.Store).Register acquires them in the other order", []string{"lib/store/store.go:22"}},
	{"app/sync2/sync2.go:18", "lockorder", "double lock: (*store.Store).Get locks s.mu while it is already held", []string{"app/sync2/sync2.go:16"}},
}

var oddVendorFindings = []oddFinding{
	{"jobs/jobs.go:10", "lockorder", "double lock: (*pool.Pool).Take locks p.mu while it is already held", []string{"jobs/jobs.go:8"}},
	{"jobs/jobs.go:22", "overlock", "p.mu held across blocking receive from done", []string{"jobs/jobs.go:20"}},
}

func needCgo() string {
	out, err := exec.Command("go", "env", "CGO_ENABLED", "CC").Output()
	f := strings.Fields(string(out))
	if err != nil || len(f) < 2 || f[0] != "1" {
		return "cgo is disabled"
	}
	if _, err := exec.LookPath(f[1]); err != nil {
		return "no C compiler: " + f[1]
	}
	return ""
}

func needAsm() string {
	if runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64" {
		return "the fixture's assembly is for amd64 and arm64"
	}
	return ""
}

func TestOdd(t *testing.T) {
	for _, tc := range oddCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.skip != "" {
				skipKnown(t, tc.skip)
			}
			if tc.needs != nil {
				if why := tc.needs(); why != "" {
					t.Skip(why)
				}
			}
			root := t.TempDir()
			if err := os.CopyFS(root, os.DirFS(filepath.Join(repoRoot, "testdata", "odd", tc.fixture))); err != nil {
				t.Fatal(err)
			}
			args := tc.args
			if args == nil {
				args = []string{"./..."}
			}
			env := tc.env
			if tc.modCache {
				env = append(slices.Clip(env), "GOMODCACHE="+filepath.Dir(root))
			}
			res := runOdd(t, root, tc.dir, env, args...)
			checkOdd(t, res, tc.code, tc.want, tc.stderr, tc.known)
			for _, n := range tc.notStderr {
				if strings.Contains(res.stderr, n) {
					t.Errorf("stderr contains %q", n)
				}
			}
		})
	}
}

// TestOddLargeGenerated runs syncvet on a generated file of about 80,000
// lines: a table of 20,000 struct literals, a 10,000-case switch, 4,000
// methods that lock, a method of 3,000 critical sections, one that starts
// 500 goroutines, and one race at the end. It must finish (the limit
// only detects a hang) and report the race, at its line, and nothing
// else.
func TestOddLargeGenerated(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	src, raceLine := generateLarge()
	for name, body := range map[string]string{
		"go.mod":     "module example.com/big\n\ngo 1.26\n",
		"gen/gen.go": src,
	} {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(src, "\n"); n < 50000 {
		t.Fatalf("generated %d lines, want more than 50000", n)
	}
	res := runOdd(t, root, "", nil, "./...")
	checkOdd(t, res, 0, []oddFinding{{
		fmt.Sprintf("gen/gen.go:%d", raceLine), "sharedaccess",
		"unsynchronized write to v: goroutines running Race.func1 may run at once",
		[]string{fmt.Sprintf("gen/gen.go:%d", raceLine-2)},
	}}, nil, nil)
}

// generateLarge returns the source of the large generated file and the
// line of its one unsynchronized write.
func generateLarge() (string, int) {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("// Code generated by syncvet's odd_test.go. DO NOT EDIT.\n")
	w("// Package gen is large: a table, a switch and many methods.")
	w("package gen\n")
	w("import \"sync\"\n")
	w("type entry struct {\n\tid   int\n\tname string\n\tnext []int\n}\n")
	w("var table = []entry{")
	for i := range 20000 {
		w("\t{id: %d, name: \"n%d\", next: []int{%d, %d}},", i, i, i+1, i+2)
	}
	w("}\n")
	w("// Lookup maps a code to a name.\nfunc Lookup(code int) string {\n\tswitch code {")
	for i := range 10000 {
		w("\tcase %d:\n\t\treturn \"c%d\"", i, i)
	}
	w("\t}\n\treturn \"\"\n}\n")
	const fields = 500
	w("// State is guarded by mu.\ntype State struct {\n\tmu sync.Mutex")
	for i := range fields {
		w("\tf%d int", i)
	}
	w("}\n")
	for i := range 2000 {
		w("// Set%d sets f%d.\nfunc (s *State) Set%d(v int) {\n\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n\ts.f%d = v\n}\n", i, i%fields, i, i%fields)
		w("// Get%d reads f%d.\nfunc (s *State) Get%d() int {\n\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n\treturn s.f%d\n}\n", i, i%fields, i, i%fields)
	}
	w("// Init sets every field, one critical section each.\nfunc (s *State) Init() {")
	for i := range 3000 {
		w("\ts.mu.Lock()\n\ts.f%d = %d\n\ts.mu.Unlock()", i%fields, i)
	}
	w("}\n")
	w("// Fan sets each field from its own goroutine.\nfunc (s *State) Fan() {\n\tvar wg sync.WaitGroup")
	for i := range fields {
		w("\twg.Add(1)\n\tgo func() {\n\t\tdefer wg.Done()\n\t\ts.Set%d(%d)\n\t}()", i, i)
	}
	w("\twg.Wait()\n}\n")
	w("// Race writes v from goroutines with no lock.\nfunc Race() int {\n\tv := 0\n\tvar wg sync.WaitGroup\n\tfor i := range 2 {\n\t\twg.Add(1)\n\t\tgo func() {\n\t\t\tdefer wg.Done()")
	line := strings.Count(b.String(), "\n") + 1
	w("\t\t\tv += i\n\t\t}()\n\t}\n\twg.Wait()\n\treturn v\n}")
	return b.String(), line
}

// skipKnown skips a test of a known problem, unless SYNCVET_ODD_KNOWN=1
// asks to see whether it is fixed.
func skipKnown(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("SYNCVET_ODD_KNOWN") != "1" {
		t.Skip("known: " + why + " (SYNCVET_ODD_KNOWN=1 runs it)")
	}
}

// oddResult is what a run of syncvet printed.
type oddResult struct {
	code     int
	stdout   string
	stderr   string
	findings []oddPrinted
}

// oddPrinted is a finding as printed, positions relative to the root.
type oddPrinted struct {
	pos, check, msg string
	related         []string // file:line
	relatedMsgs     []string
}

func (f oddPrinted) String() string {
	return fmt.Sprintf("%s: %s (%s) related %v", f.pos, f.msg, f.check, f.related)
}

// oddTimeout only detects a hang: no case comes near it.
const oddTimeout = 5 * time.Minute

// runOdd runs syncvet with args in root/dir, offline, and parses the
// findings it prints.
func runOdd(t *testing.T, root, dir string, env []string, args ...string) oddResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), oddTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, syncvetBin, args...)
	cmd.Dir = filepath.Join(root, dir)
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOTOOLCHAIN=local", "GOWORK=off")
	cmd.Env = append(cmd.Env, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("syncvet %s hung: killed after %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), oddTimeout, out.String(), errOut.String())
	}
	t.Logf("syncvet %s (in ./%s): %v", strings.Join(args, " "), dir, time.Since(start).Round(time.Millisecond))
	res := oddResult{stdout: out.String(), stderr: errOut.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		res.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	res.findings = parseOdd(t, res.stdout, root, cmd.Dir)
	return res
}

var (
	oddFindingLine = regexp.MustCompile(`^(\S+\.go):(\d+):\d+: (.*) \((\w+)\)$`)
	oddRelatedLine = regexp.MustCompile(`^\t(\S+\.go):(\d+):\d+: (.*)$`)
)

// parseOdd reads syncvet's text output: each finding, then its related
// positions indented. Paths become relative to root.
func parseOdd(t *testing.T, out, root, dir string) []oddPrinted {
	t.Helper()
	rel := func(p, line string) string {
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		r, err := filepath.Rel(root, p)
		if err != nil || strings.HasPrefix(r, "..") {
			r = p // outside the fixture: garbage, and compared as such
		}
		return filepath.ToSlash(r) + ":" + line
	}
	var fs []oddPrinted
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if l == "" {
			continue
		}
		if m := oddRelatedLine.FindStringSubmatch(l); m != nil && len(fs) > 0 {
			f := &fs[len(fs)-1]
			f.related = append(f.related, rel(m[1], m[2]))
			f.relatedMsgs = append(f.relatedMsgs, m[3])
			continue
		}
		m := oddFindingLine.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("stdout line is neither a finding nor a related position: %q", l)
			continue
		}
		fs = append(fs, oddPrinted{pos: rel(m[1], m[2]), msg: m[3], check: m[4], related: []string{}})
	}
	return fs
}

// checkOdd compares a run with what a case wants.
func checkOdd(t *testing.T, res oddResult, code int, want []oddFinding, stderr []string, known []oddKnown) {
	t.Helper()
	defer func() {
		if t.Failed() {
			t.Logf("stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
		}
	}()
	for _, bad := range []string{"panic:", "internal error", "fatal error:", "goroutine 1 ["} {
		if strings.Contains(res.stdout+res.stderr, bad) {
			t.Errorf("output contains %q", bad)
		}
	}

	// Each wanted finding exactly once; known misses at most once;
	// nothing else.
	var tolerated []oddFinding
	var tolerate []string
	for _, k := range known {
		tolerated = append(tolerated, k.missed...)
		tolerate = append(tolerate, k.garbage...)
	}
	got := slices.Clone(res.findings)
	match := func(w oddFinding) bool {
		for i, f := range got {
			if f.pos == w.pos && f.check == w.check && strings.Contains(f.msg, w.msg) {
				if w.related != nil && !slices.Equal(f.related, w.related) {
					t.Errorf("%s: related positions %v, want %v", f, f.related, w.related)
				}
				got = slices.Delete(got, i, i+1)
				return true
			}
		}
		return false
	}
	for _, w := range want {
		if !match(w) {
			t.Errorf("missing finding %s: …%s… (%s)", w.pos, w.msg, w.check)
		}
	}
	for _, w := range tolerated {
		match(w)
	}
	for _, f := range got {
		t.Errorf("unexpected finding %s", f)
	}

	for _, f := range res.findings {
		for _, m := range append([]string{f.msg}, f.relatedMsgs...) {
			for _, g := range oddGarbage {
				if !slices.Contains(tolerate, g) && regexp.MustCompile(g).MatchString(m) {
					t.Errorf("%s: message %q matches %s", f.pos, m, g)
				}
			}
		}
	}

	wantCode := code
	if code == exitClean || code == exitFindings {
		wantCode = exitClean
		if len(res.findings) > 0 {
			wantCode = exitFindings
		}
	}
	if res.code != wantCode {
		t.Errorf("exit status %d, want %d", res.code, wantCode)
	}
	for _, s := range stderr {
		if !strings.Contains(res.stderr, s) {
			t.Errorf("stderr lacks %q", s)
		}
	}
	if len(stderr) == 0 && res.stderr != "" {
		t.Errorf("stderr should be empty")
	}

	for _, k := range known {
		t.Run("known", func(t *testing.T) {
			skipKnown(t, k.why)
			for _, w := range k.missed {
				found := false
				for _, f := range res.findings {
					found = found || f.pos == w.pos && f.check == w.check && strings.Contains(f.msg, w.msg)
				}
				if !found {
					t.Errorf("missing finding %s: …%s… (%s)", w.pos, w.msg, w.check)
				}
			}
			for _, g := range k.garbage {
				if regexp.MustCompile(g).MatchString(res.stdout) {
					t.Errorf("output matches %s", g)
				}
			}
		})
	}
}

// TestOddFixturesHaveCases keeps testdata/odd and the cases in step.
func TestOddFixturesHaveCases(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join(repoRoot, "testdata", "odd"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !slices.ContainsFunc(oddCases, func(c oddCase) bool { return c.fixture == e.Name() }) {
			t.Errorf("testdata/odd/%s has no case in oddCases", e.Name())
		}
	}
}
