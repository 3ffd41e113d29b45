package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/syncvet/syncvet/analyzers"
)

// Exit codes of a standalone run.
const (
	exitClean    = 0 // nothing reported
	exitError    = 1 // a package did not load, or a check failed
	exitUsage    = 2 // bad flags
	exitFindings = 3 // findings reported
)

// options are the standalone driver's own flags; analyzer flags are
// forwarded to the vet tool unchanged.
type options struct {
	json    bool
	sarif   bool
	context int
	fix     bool
	diff    bool
	tags    string

	cpuprofile, memprofile string // directories for per-unit profiles (profile.go)
}

// enableFlag is an analyzer's -NAME flag. It only records the value; the
// vet tool interprets it.
type enableFlag struct{ v string }

func (f *enableFlag) String() string   { return f.v }
func (f *enableFlag) IsBoolFlag() bool { return true }
func (f *enableFlag) Set(s string) error {
	switch s {
	case "true", "1", "false", "0":
		f.v = s
		return nil
	}
	return fmt.Errorf("want true or false, got %q", s)
}

// newFlagSet returns the standalone flag set: every analyzer's enable
// flag and options, as the vet tool accepts them, plus the driver's own.
func newFlagSet(stderr io.Writer, as []*analysis.Analyzer, o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("syncvet", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.json, "json", false, "print findings as JSON in the go/analysis form")
	fs.BoolVar(&o.sarif, "sarif", false, "print findings as a SARIF 2.1.0 log, paths relative to the current directory")
	fs.IntVar(&o.context, "c", -1, "print each finding's line with this many lines of context")
	fs.BoolVar(&o.fix, "fix", false, "apply the suggested fixes instead of printing findings")
	fs.BoolVar(&o.diff, "diff", false, "with -fix, print the fixes as a unified diff instead of applying them")
	fs.StringVar(&o.tags, "tags", "", "comma-separated build tags, as for go build")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of each analysed package into this directory (go tool pprof DIR/*.cpu.pprof); packages whose results go vet has cached are not rerun")
	fs.StringVar(&o.memprofile, "memprofile", "", "write a heap profile of each analysed package into this directory (go tool pprof DIR/*.mem.pprof)")
	for _, a := range as {
		usage := "enable the " + a.Name + " check (naming any check runs only those named; -NAME=false turns one off)"
		if cover, off := analyzers.OffByDefault[a.Name]; off {
			usage = "enable the " + a.Name + " check, off by default (" + cover + " reports the same; naming any check runs only those named)"
		}
		fs.Var(new(enableFlag), a.Name, usage)
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, `syncvet reports concurrency hazards in Go packages.

Usage:
	syncvet [flags] [packages]   analyse packages (default "."), tests included
	syncvet help [name]          list the checks, or explain one
	syncvet lockgraph [-o FILE] [packages]
	                             write the lock order graph in Graphviz DOT
	syncvet lsp                  serve the Language Server Protocol on stdin/stdout
	go vet -vettool=$(command -v syncvet) [flags] [packages]

Exit status: 0 nothing reported, 3 findings, 1 a package or check failed, 2 bad usage.

Flags:
`)
		fs.PrintDefaults()
	}
	return fs
}

// driverFlags are the flags the standalone driver handles itself rather
// than forwarding to the vet tool.
var driverFlags = map[string]bool{"json": true, "sarif": true, "c": true, "fix": true, "diff": true, "tags": true, "cpuprofile": true, "memprofile": true}

// standalone runs `go vet` with this executable as the vet tool over the
// package patterns in args, and prints the merged findings.
func standalone(args []string, as []*analysis.Analyzer) int {
	return runStandalone(args, as, os.Stdout, os.Stderr)
}

func runStandalone(args []string, as []*analysis.Analyzer, stdout, stderr io.Writer) int {
	var o options
	fs := newFlagSet(stderr, as, &o)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitClean
		}
		return exitUsage
	}
	if o.json && o.sarif || (o.json || o.sarif) && (o.fix || o.context >= 0) {
		fmt.Fprintln(stderr, "syncvet: -json and -sarif exclude each other, -fix and -c")
		return exitUsage
	}
	if o.diff && !o.fix {
		fmt.Fprintln(stderr, "syncvet: -diff requires -fix")
		return exitUsage
	}
	patterns := fs.Args()
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "syncvet: cannot find own executable: %v\n", err)
		return exitError
	}
	env, err := profileEnv(o.cpuprofile, o.memprofile)
	if err == nil {
		if env == nil {
			env = os.Environ()
		}
		env = append(env, vetScopeEnv+"="+vetScope(patterns))
	}
	if err != nil {
		fmt.Fprintf(stderr, "syncvet: %v\n", err)
		return exitError
	}

	vet := []string{"vet", "-vettool=" + exe}
	if o.tags != "" {
		vet = append(vet, "-tags="+o.tags)
	}
	fs.Visit(func(f *flag.Flag) {
		if !driverFlags[f.Name] {
			vet = append(vet, "-"+f.Name+"="+f.Value.String())
		}
	})
	// Fixes and context lines are the vet tool's business: pass them
	// through and stream its output.
	if o.fix || o.context >= 0 {
		if o.fix {
			vet = append(vet, "-fix")
		}
		if o.diff {
			vet = append(vet, "-diff")
		}
		if o.context >= 0 {
			vet = append(vet, fmt.Sprintf("-c=%d", o.context))
		}
		vet = append(vet, patterns...)
		cmd := exec.Command("go", vet...)
		cmd.Env = env
		cmd.Stdout, cmd.Stderr = stdout, stderr
		if err := cmd.Run(); err != nil {
			return exitCode(err, stderr)
		}
		return exitClean
	}

	vet = append(vet, "-json")
	var out, errOut bytes.Buffer
	cmd := exec.Command("go", append(vet, patterns...)...)
	cmd.Env = env
	cmd.Stdout = &out
	var first bytes.Buffer
	cmd.Stderr = &first
	runErr := cmd.Run()
	setupFailed := false
	if runErr != nil && out.Len() == 0 && !bytes.Contains(first.Bytes(), []byte("\n# ")) && !bytes.HasPrefix(first.Bytes(), []byte("# ")) {
		// go vet stops before analysing anything when one package
		// cannot even be set up (an embed pattern that matches no
		// files, a bad import path): analyse the others, and name
		// each package left out and why.
		if ok, bad, testsBad := loadable(o.tags, patterns, env); (len(bad) > 0 || len(testsBad) > 0) && len(ok) > 0 {
			setupFailed = true
			for _, b := range bad {
				fmt.Fprintln(stderr, b)
			}
			again := vet
			if len(testsBad) > 0 {
				// Packages whose tests cannot be set up are analysed
				// without them.
				hide := map[string]bool{}
				for p := range testsBad {
					hide[p] = true
				}
				overlay, hidden, cleanup := testsOverlay(o.tags, patterns, env, hide)
				defer cleanup()
				if len(hidden) > 0 {
					again = withoutTests(vet, overlay)
				}
				for _, p := range hidden {
					fmt.Fprintf(stderr, "syncvet: %s: analysed without its tests: %s\n", p, testsBad[p])
					delete(testsBad, p)
				}
				// The others (in the module cache, which an overlay
				// cannot touch) would stop go vet again: left out.
				var kept []string
				for _, p := range ok {
					if msg, left := testsBad[p]; left {
						fmt.Fprintf(stderr, "syncvet: %s: not analysed: its tests cannot be set up: %s\n", p, msg)
						continue
					}
					kept = append(kept, p)
				}
				ok = kept
			}
			first.Reset()
			cmd = exec.Command("go", append(again, ok...)...)
			cmd.Env = env
			cmd.Stdout = &out
			cmd.Stderr = &first
			runErr = cmd.Run()
		}
	}
	errOut.Write(first.Bytes())
	stderr.Write(first.Bytes())
	failed := failedPackages(errOut.Bytes())
	var withoutTests []string
	var setupBad map[string]string // packages whose tests go vet could not set up
	if runErr != nil {
		retry := maps.Clone(failed)
		if !setupFailed {
			// go vet went on past a package whose tests it could not
			// set up, and says so without a "# " heading.
			_, _, setupBad = loadable(o.tags, patterns, env)
			for p := range setupBad {
				retry[p] = true
			}
		}
		if len(retry) > 0 {
			withoutTests = retryWithoutTests(vet, o.tags, patterns, env, retry, failed, &out)
		}
		for _, p := range withoutTests {
			delete(setupBad, p)
		}
	}

	tree, failures, err := parseTree(out.Bytes())
	if err != nil {
		fmt.Fprintf(stderr, "syncvet: reading vet tool output: %v\n", err)
		return exitError
	}
	for _, f := range failures {
		fmt.Fprintf(stderr, "syncvet: %s: %s\n", f.pkg, f.msg)
	}
	n := 0
	if o.sarif {
		n = tree.count()
		wd, err := os.Getwd()
		if err == nil {
			err = writeSARIF(stdout, tree, failures, as, wd)
		}
		if err != nil {
			fmt.Fprintf(stderr, "syncvet: %v\n", err)
			return exitError
		}
	} else if o.json {
		n = tree.count()
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "\t")
		if err := enc.Encode(tree); err != nil {
			fmt.Fprintf(stderr, "syncvet: %v\n", err)
			return exitError
		}
	} else {
		n = printText(stdout, tree)
	}

	code := exitClean
	if n > 0 {
		code = exitFindings
	}
	if runErr != nil {
		var ee *exec.ExitError
		if !errors.As(runErr, &ee) {
			fmt.Fprintf(stderr, "syncvet: running go vet: %v\n", runErr)
		}
		for _, p := range withoutTests {
			fmt.Fprintf(stderr, "syncvet: %s: analysed without its tests, which do not build (errors above)\n", p)
		}
		// Left: in the module cache, where an overlay cannot hide them.
		for _, p := range slices.Sorted(maps.Keys(setupBad)) {
			fmt.Fprintf(stderr, "syncvet: %s: not analysed: its tests cannot be set up: %s\n", p, setupBad[p])
		}
		// A package left in failed whose own code builds but whose
		// tests do not (it sits in the module cache, where the overlay
		// cannot hide them) is named; its importers were analysed.
		for _, p := range testsOnlyFail(failed, o.tags, env) {
			delete(failed, p)
			fmt.Fprintf(stderr, "syncvet: %s: not analysed: its tests do not build (errors above), and an overlay cannot leave out test files in the module cache\n", p)
		}
		for _, l := range unanalysed(failed, o.tags, patterns, env) {
			fmt.Fprintln(stderr, l)
		}
		code = exitError
	}
	if len(failures) > 0 || setupFailed {
		code = exitError
	}
	if bytes.Contains(errOut.Bytes(), []byte("matched no packages")) && len(tree) == 0 && code == exitClean {
		fmt.Fprintln(stderr, "syncvet: no packages to analyse")
		code = exitError
	}
	return code
}

func exitCode(err error, stderr io.Writer) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return exitError
	}
	fmt.Fprintf(stderr, "syncvet: running go vet: %v\n", err)
	return exitError
}

// jsonDiag is one diagnostic in the x/tools JSON form.
type jsonDiag struct {
	Category       string            `json:"category,omitempty"`
	Posn           string            `json:"posn"`
	End            string            `json:"end"`
	Message        string            `json:"message"`
	SuggestedFixes []json.RawMessage `json:"suggested_fixes,omitempty"`
	Related        []jsonRelated     `json:"related,omitempty"`
}

type jsonRelated struct {
	Posn    string `json:"posn"`
	End     string `json:"end"`
	Message string `json:"message"`
}

// tree is the x/tools JSON tree: package ID to check name to findings.
type tree map[string]map[string][]jsonDiag

func (t tree) count() int {
	n := 0
	for _, byName := range t {
		for _, ds := range byName {
			n += len(ds)
		}
	}
	return n
}

type failure struct{ pkg, msg string }

// parseTree reads the concatenated JSON trees that the vet tool writes
// for each unit, keeps each finding once (a package and its test variant
// report the same finding twice), and returns the check failures apart.
func parseTree(data []byte) (tree, []failure, error) {
	t := make(tree)
	var fails []failure
	seen := make(map[string]bool)
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var unit map[string]map[string]json.RawMessage
		if err := dec.Decode(&unit); err == io.EOF {
			break
		} else if err != nil {
			return nil, nil, err
		}
		for id, byName := range unit {
			pkg := strings.Fields(id)[0]
			for name, raw := range byName {
				var e struct {
					Error string `json:"error"`
				}
				if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
					if err := json.Unmarshal(raw, &e); err != nil {
						return nil, nil, err
					}
					key := "err\x00" + pkg + name + e.Error
					if !seen[key] {
						seen[key] = true
						fails = append(fails, failure{pkg, name + ": " + e.Error})
					}
					continue
				}
				var ds []jsonDiag
				if err := json.Unmarshal(raw, &ds); err != nil {
					return nil, nil, err
				}
				for _, d := range ds {
					key := name + "\x00" + d.Posn + "\x00" + d.Message
					if seen[key] {
						continue
					}
					seen[key] = true
					if t[pkg] == nil {
						t[pkg] = make(map[string][]jsonDiag)
					}
					t[pkg][name] = append(t[pkg][name], d)
				}
			}
		}
	}
	sort.Slice(fails, func(i, j int) bool {
		return fails[i].pkg+fails[i].msg < fails[j].pkg+fails[j].msg
	})
	return t, fails, nil
}

// printText prints each finding as "file:line:col: message (check)",
// with related positions indented below it, sorted by position, and
// returns how many it printed.
func printText(w io.Writer, t tree) int {
	type line struct {
		file      string
		line, col int
		text      string
	}
	var lines []line
	for _, byName := range t {
		for name, ds := range byName {
			for _, d := range ds {
				f, l, c := splitPosn(d.Posn)
				var b strings.Builder
				fmt.Fprintf(&b, "%s: %s (%s)\n", relPosn(d.Posn), d.Message, name)
				for _, r := range d.Related {
					fmt.Fprintf(&b, "\t%s: %s\n", relPosn(r.Posn), r.Message)
				}
				lines = append(lines, line{f, l, c, b.String()})
			}
		}
	}
	sort.Slice(lines, func(i, j int) bool {
		a, b := lines[i], lines[j]
		if a.file != b.file {
			return a.file < b.file
		}
		if a.line != b.line {
			return a.line < b.line
		}
		if a.col != b.col {
			return a.col < b.col
		}
		return a.text < b.text
	})
	for _, l := range lines {
		io.WriteString(w, l.text)
	}
	return len(lines)
}

// splitPosn splits "file:line:col" into its parts.
func splitPosn(p string) (string, int, int) {
	var line, col int
	parts := strings.Split(p, ":")
	if n := len(parts); n >= 3 {
		fmt.Sscan(parts[n-2], &line)
		fmt.Sscan(parts[n-1], &col)
		return strings.Join(parts[:n-2], ":"), line, col
	}
	return p, 0, 0
}

// relPosn makes an absolute position relative to the working directory
// when it lies below it, as go vet prints positions.
func relPosn(p string) string {
	wd, err := os.Getwd()
	if err != nil || !filepath.IsAbs(p) {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}

// failedPackages returns the packages whose errors go vet's stderr
// vetOut heads with "# import/path".
func failedPackages(vetOut []byte) map[string]bool {
	failed := make(map[string]bool)
	for _, l := range strings.Split(string(vetOut), "\n") {
		if f := strings.Fields(strings.TrimPrefix(l, "# ")); strings.HasPrefix(l, "# ") && len(f) > 0 && !strings.HasPrefix(f[0], "[") {
			failed[f[0]] = true
		}
	}
	return failed
}

// withoutTestsFlag marks the vet-tool calls of retryWithoutTests. The
// tool ignores it; it is there so that go vet, which hashes the flags
// into each unit's cache key, does not answer the retry with the empty
// output of the facts-only run that analysed the package as another
// package's dependency.
const withoutTestsFlag = "without-tests"

func registerWithoutTestsFlag() {
	flag.Bool(withoutTestsFlag, false, "set by syncvet when it analyses a package again without its tests, which do not build")
}

// retryWithoutTests analyses again, without their test files, the
// packages in retry that patterns match and that have tests: go vet
// analyses a package together with its tests, so a test file that does
// not build (one that needs a build tag to find its helpers, or embeds
// a file the module leaves out) leaves the package's own code
// unanalysed. The findings are appended to out; the packages whose own
// code built are removed from failed (the packages go vet's stderr
// names), so that their importers are not named as unanalysed, and
// returned.
func retryWithoutTests(vet []string, tags string, patterns, env []string, retry, failed map[string]bool, out *bytes.Buffer) []string {
	overlay, pkgs, cleanup := testsOverlay(tags, patterns, env, retry)
	defer cleanup()
	if len(pkgs) == 0 {
		return nil
	}
	var found, errs bytes.Buffer
	cmd := exec.Command("go", append(withoutTests(vet, overlay), pkgs...)...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = &found, &errs
	err := cmd.Run()
	if _, isExit := err.(*exec.ExitError); err != nil && (!isExit || found.Len() == 0 && !bytes.Contains(errs.Bytes(), []byte("# "))) {
		return nil // go vet stopped before analysing anything
	}
	out.Write(found.Bytes())
	stillFailed := failedPackages(errs.Bytes())
	var ok []string
	for _, p := range pkgs {
		if !stillFailed[p] {
			delete(failed, p)
			ok = append(ok, p)
		}
	}
	return ok
}

// withoutTests returns the go vet command line vet with the overlay
// that hides test files and the flag that marks it.
func withoutTests(vet []string, overlay string) []string {
	return append(append([]string{vet[0], "-overlay=" + overlay}, vet[1:]...), "-"+withoutTestsFlag)
}

// testsOverlay writes an overlay that deletes the test files of the
// packages in pkgs that patterns match, and returns its path and those
// packages (none when there is nothing to hide or an error).
func testsOverlay(tags string, patterns, env []string, pkgs map[string]bool) (string, []string, func()) {
	none := func() {}
	args := []string{"list", "-e", "-f", "{{.ImportPath}}\t{{.Dir}}\t{{join .TestGoFiles \" \"}} {{join .XTestGoFiles \" \"}}"}
	if tags != "" {
		args = append(args, "-tags="+tags)
	}
	cmd := exec.Command("go", append(args, patterns...)...)
	cmd.Env = env
	listed, err := cmd.Output()
	if err != nil {
		return "", nil, none
	}
	modcache := ""
	cmd = exec.Command("go", "env", "GOMODCACHE")
	cmd.Env = env
	if out, err := cmd.Output(); err == nil {
		modcache = strings.TrimSpace(string(out))
	}
	replace := map[string]string{}
	var hidden []string
	for _, l := range strings.Split(strings.TrimSpace(string(listed)), "\n") {
		parts := strings.SplitN(l, "\t", 3)
		if len(parts) != 3 || !pkgs[parts[0]] || len(strings.Fields(parts[2])) == 0 {
			continue
		}
		if modcache != "" && strings.HasPrefix(parts[1], modcache+string(filepath.Separator)) {
			continue // go refuses an overlay of the module cache's files
		}
		for _, f := range strings.Fields(parts[2]) {
			replace[filepath.Join(parts[1], f)] = "" // deleted
		}
		hidden = append(hidden, parts[0])
	}
	if len(hidden) == 0 {
		return "", nil, none
	}
	dir, err := os.MkdirTemp("", "syncvet-overlay")
	if err != nil {
		return "", nil, none
	}
	cleanup := func() { os.RemoveAll(dir) }
	overlay := filepath.Join(dir, "overlay.json")
	data, err := json.Marshal(map[string]map[string]string{"Replace": replace})
	if err != nil || os.WriteFile(overlay, data, 0o644) != nil {
		cleanup()
		return "", nil, none
	}
	return overlay, hidden, cleanup
}

// loadable splits the packages that patterns match into those go can
// set up for analysis (their import paths) and those it cannot (a line
// for each, naming the package and its error). testsBad maps the
// packages that go can set up, but not with their tests (a test file
// embeds a file the module leaves out), to the tests' error.
func loadable(tags string, patterns, env []string) (ok, bad []string, testsBad map[string]string) {
	// Errors are quoted: one spans lines when it names an import chain.
	args := []string{"list", "-e", "-test", "-f", "{{.ImportPath}}\t{{if .Error}}{{printf \"%q\" .Error.Error}}{{else}}{{range .DepsErrors}}{{printf \"%q\" .Error}}{{break}}{{end}}{{end}}"}
	if tags != "" {
		args = append(args, "-tags="+tags)
	}
	cmd := exec.Command("go", append(args, patterns...)...)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return nil, nil, nil
	}
	testsBad = map[string]string{}
	plain := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		id, msg, _ := strings.Cut(l, "\t")
		if m, err := strconv.Unquote(msg); err == nil {
			msg = m
		}
		msg = strings.Join(strings.Fields(msg), " ")
		path, variant, isVariant := strings.Cut(id, " ")
		switch {
		case path == "" || strings.HasSuffix(path, ".test"):
		case isVariant:
			// "p [p.test]" or "p_test [p.test]": p's tests.
			if msg != "" {
				p := strings.TrimSuffix(strings.Trim(variant, "[]"), ".test")
				if _, seen := testsBad[p]; !seen {
					testsBad[p] = msg
				}
			}
		case msg == "":
			ok = append(ok, path)
			plain[path] = true
		default:
			bad = append(bad, fmt.Sprintf("syncvet: %s: not analysed: %s", path, msg))
		}
	}
	for p := range testsBad {
		if !plain[p] {
			delete(testsBad, p) // not set up on its own either: named in bad
		}
	}
	return ok, bad, testsBad
}

// testsOnlyFail returns the packages of failed whose own code builds
// but whose tests do not: go vet analyses a package with its tests, so
// it left such a package out, but its importers, which need only its
// own code, were analysed.
func testsOnlyFail(failed map[string]bool, tags string, env []string) []string {
	var ok []string
	for _, p := range slices.Sorted(maps.Keys(failed)) {
		builds := func(args ...string) bool {
			if tags != "" {
				args = append(args, "-tags="+tags)
			}
			cmd := exec.Command("go", append(args, p)...)
			cmd.Env = env
			return cmd.Run() == nil
		}
		if builds("build") && !builds("test", "-c", "-o", os.DevNull) {
			ok = append(ok, p)
		}
	}
	return ok
}

// unanalysed names the packages matched by patterns that go vet skipped
// without a word because a package they import failed to build (failed,
// from go vet's stderr). It returns nothing when no package failed.
func unanalysed(failed map[string]bool, tags string, patterns, env []string) []string {
	if len(failed) == 0 {
		return nil
	}
	args := []string{"list", "-e", "-test", "-f", "{{.ImportPath}}{{range .Deps}} {{.}}{{end}}"}
	if tags != "" {
		args = append(args, "-tags="+tags)
	}
	cmd := exec.Command("go", append(args, patterns...)...)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return nil // go vet's own errors already say what is wrong
	}
	// base strips the " [p.test]" of a test variant.
	base := func(id string) string { return strings.Fields(id)[0] }
	why := make(map[string]string) // package or test variant -> a failed dependency
	for _, l := range strings.Split(string(out), "\n") {
		// Each line is the package, then its dependencies, each with
		// its test-variant suffix: "p [p.test] q [p.test] r".
		var ids []string
		for _, f := range strings.Fields(l) {
			if strings.HasPrefix(f, "[") && len(ids) > 0 {
				ids[len(ids)-1] += " " + f
				continue
			}
			ids = append(ids, f)
		}
		if len(ids) == 0 || strings.HasSuffix(base(ids[0]), ".test") || failed[base(ids[0])] {
			continue
		}
		for _, dep := range ids[1:] {
			if d := base(dep); failed[d] && (why[ids[0]] == "" || d < why[ids[0]]) {
				why[ids[0]] = d
			}
		}
	}
	var lines []string
	for id, dep := range why {
		pkg, what := base(id), "it depends"
		if id != pkg && !strings.HasSuffix(pkg, "_test") {
			// go vet analyses a package with its internal tests as one
			// unit: when the tests do not build, neither is analysed.
			if why[pkg] != "" {
				continue // named for itself
			}
			what = "its tests depend"
		}
		lines = append(lines, fmt.Sprintf("syncvet: %s: not analysed: %s on %s, which does not build (errors above)", pkg, what, dep))
	}
	sort.Strings(lines)
	return lines
}
