// Command syncvet-quality scores syncvet on two corpora of known bugs,
// to run before and after every change to the checks:
//
//   - the race detector's own test programs,
//     $(go env GOROOT)/src/runtime/race/testdata: each TestRace* function
//     is racy and each TestNoRace* function clean; a test is flagged when
//     sharedaccess reports in it, which gives precision and recall per
//     file and in total, with the false positives and negatives named;
//   - given -goker, GoBench's GoKer kernels
//     (https://github.com/timmyyuan/gobench, gobench/goker): a kernel is
//     found when a check for its kind of bug reports anywhere in it
//     (blocking: lockorder, overlock or goroutineleak; nonblocking:
//     sharedaccess, or vet's loopclosure for a loop variable a goroutine
//     shares with the loop), counted per GoBench subtype.
//
// Usage (from the syncvet module root):
//
//	go run ./cmd/syncvet-quality [-goker DIR] [-json] [-o FILE] [-baseline FILE] [-rev REV]
//
// syncvet is built from the working tree (or from -rev) and run in its
// standalone -json mode, with its default checks, once per corpus: the
// race corpus is copied into a temporary module (files that cannot
// build outside the standard library are rewritten or skipped, each
// with its reason printed) and analysed with build tag race, as its
// harness builds it with -race; every kernel becomes one package of a
// second module, whose go directive is GoBench's own (go 1.13: loop
// variables are shared between iterations, as when the bugs were
// found) unless -goker-go says otherwise. A kernel's NAME_test.go file
// is analysed as NAME.go, a file of its package: GoKer cuts production
// code down into a test file to run it, and checks may judge code in
// test files differently (locks of test-only types held across a
// blocking call are deliberate stalls to overlock); -goker-tests keeps
// the files as GoBench ships them.
//
// Attribution: a finding belongs to the top-level function whose source
// holds its position (function literals inside it included). A finding
// in a helper, any other top-level function, belongs to every scored
// test that calls the helper directly by name (f(...), or x.m(...) for a
// method m of any type); findings reaching no scored test are listed
// apart and score nothing. Other checks' findings are counted, per
// check, but do not score.
//
// -json prints the result as JSON instead of text; -o writes that JSON
// to a file as well. -baseline compares with an earlier JSON result and
// prints what changed: racy tests and kernels newly found or newly
// missed, clean tests newly flagged or no longer flagged; the exit
// status is then 3 when anything found before is missed now or a clean
// test is newly flagged.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

func main() {
	os.Exit(qualityMain(os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	goker, gokerGo     string
	race, asJSON, keep bool
	gokerTests         bool
	out, baseline      string
	rev, syncvet, work string
}

func qualityMain(args []string, stdout, stderr io.Writer) int {
	var c config
	fs := flag.NewFlagSet("syncvet-quality", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.goker, "goker", "", "a GoBench checkout (github.com/timmyyuan/gobench) or its gobench/goker directory: also score the GoKer kernels")
	fs.StringVar(&c.gokerGo, "goker-go", "", "go directive of the module the kernels are analysed in (default: the one in GoBench's go.mod, else 1.13)")
	fs.BoolVar(&c.gokerTests, "goker-tests", false, "analyse each kernel in its _test.go file, as GoBench ships it (default: as a non-test .go file of its package)")
	fs.BoolVar(&c.race, "race", true, "score the race detector's test programs in $(go env GOROOT)/src/runtime/race/testdata")
	fs.BoolVar(&c.asJSON, "json", false, "print the result as JSON instead of text")
	fs.StringVar(&c.out, "o", "", "also write the JSON result to this file")
	fs.StringVar(&c.baseline, "baseline", "", "compare with this earlier JSON result and print what changed (exit status 3 when something regressed)")
	fs.StringVar(&c.rev, "rev", "", "build syncvet from this git revision (e.g. HEAD) rather than the working tree")
	fs.StringVar(&c.syncvet, "syncvet", "", "use this syncvet binary instead of building one")
	fs.StringVar(&c.work, "work", "", "working directory for the corpora's modules (default: a new temporary directory, removed afterwards)")
	fs.BoolVar(&c.keep, "keep", false, "keep the temporary working directory")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: go run ./cmd/syncvet-quality [flags]\n\nScores syncvet on the race detector's test programs and, with -goker, on GoBench's GoKer kernels.\nSee go doc ./cmd/syncvet-quality for the scoring and attribution rules.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 || !c.race && c.goker == "" || c.rev != "" && c.syncvet != "" {
		fmt.Fprintln(stderr, "syncvet-quality: no arguments; at least one corpus (-race or -goker); -rev or -syncvet, not both")
		return 2
	}
	var base *Result
	if c.baseline != "" {
		data, err := os.ReadFile(c.baseline)
		if err == nil {
			base = new(Result)
			err = json.Unmarshal(data, base)
		}
		if err != nil {
			fmt.Fprintf(stderr, "syncvet-quality: -baseline: %v\n", err)
			return 2
		}
	}
	res, err := run(&c, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "syncvet-quality: %v\n", err)
		return 1
	}
	if base != nil {
		res.Changes = diff(base, res)
	}
	data, err := json.MarshalIndent(res, "", "\t")
	if err != nil {
		fmt.Fprintf(stderr, "syncvet-quality: %v\n", err)
		return 1
	}
	data = append(data, '\n')
	if c.out != "" {
		if err := os.WriteFile(c.out, data, 0o644); err != nil {
			fmt.Fprintf(stderr, "syncvet-quality: %v\n", err)
			return 1
		}
	}
	if c.asJSON {
		stdout.Write(data)
	} else {
		printText(stdout, res)
	}
	if res.Changes != nil && res.Changes.regressed() {
		return 3
	}
	return 0
}

// run builds syncvet and scores it on the corpora c asks for, in
// parallel.
func run(c *config, stderr io.Writer) (*Result, error) {
	start := time.Now()
	work := c.work
	if work == "" {
		dir, err := os.MkdirTemp("", "syncvet-quality-")
		if err != nil {
			return nil, err
		}
		work = dir
		if c.keep {
			fmt.Fprintf(stderr, "syncvet-quality: working in %s\n", work)
		} else {
			defer os.RemoveAll(work)
		}
	}
	work, err := filepath.Abs(work)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, err
	}
	goroot, goVersion, err := goEnv()
	if err != nil {
		return nil, err
	}
	res := &Result{Go: runtimeGo(goVersion), Date: time.Now().UTC().Format("2006-01-02 15:04 UTC")}
	bin := c.syncvet
	if bin != "" {
		if bin, err = filepath.Abs(bin); err != nil {
			return nil, err
		}
		res.Syncvet = "binary " + bin
	} else {
		root, err := moduleRoot()
		if err != nil {
			return nil, err
		}
		fmt.Fprintln(stderr, "syncvet-quality: building syncvet")
		if bin, res.Syncvet, err = buildSyncvet(root, c.rev, work); err != nil {
			return nil, err
		}
	}

	// Prepare both corpora, then run syncvet on them at once: the race
	// corpus is one large package, the kernels many small ones.
	var ks []Kernel
	if c.race {
		dir := filepath.Join(goroot, "src", "runtime", "race", "testdata")
		if res.Race, err = prepareRace(dir, filepath.Join(work, "race"), langVersion(goVersion)); err != nil {
			return nil, fmt.Errorf("race corpus: %v", err)
		}
	}
	if c.goker != "" {
		goker, configs, err := gokerDirs(c.goker)
		if err != nil {
			return nil, err
		}
		var notes []string
		if ks, notes, err = findKernels(goker, configs); err != nil {
			return nil, fmt.Errorf("GoKer: %v", err)
		}
		for _, n := range notes {
			fmt.Fprintf(stderr, "syncvet-quality: GoKer: %s\n", n)
		}
		gv := c.gokerGo
		if gv == "" {
			gv = goDirective(filepath.Join(filepath.Dir(filepath.Dir(goker)), "go.mod"), "1.13")
		}
		res.GoKer = &GoKerResult{Dir: goker, GoVersion: gv, AsTests: c.gokerTests}
		if err := prepareGoKer(ks, filepath.Join(work, "goker"), gv, c.gokerTests); err != nil {
			return nil, fmt.Errorf("GoKer: %v", err)
		}
	}
	var wg sync.WaitGroup
	var raceErr, gokerErr error
	if res.Race != nil {
		fmt.Fprintf(stderr, "syncvet-quality: race corpus: running syncvet\n")
		wg.Go(func() { raceErr = runRace(bin, filepath.Join(work, "race"), res.Race) })
	}
	if res.GoKer != nil {
		fmt.Fprintf(stderr, "syncvet-quality: GoKer: running syncvet on %d kernels\n", len(ks))
		wg.Go(func() { gokerErr = runGoKer(bin, filepath.Join(work, "goker"), res.GoKer, ks) })
	}
	wg.Wait()
	if raceErr != nil {
		return nil, fmt.Errorf("race corpus: %v", raceErr)
	}
	if gokerErr != nil {
		return nil, fmt.Errorf("GoKer: %v", gokerErr)
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

// goEnv returns GOROOT and GOVERSION of the go command on PATH, the one
// that runs syncvet.
func goEnv() (goroot, version string, err error) {
	out, err := exec.Command("go", "env", "GOROOT", "GOVERSION").Output()
	if err != nil {
		return "", "", fmt.Errorf("go env: %v", err)
	}
	f := strings.Fields(string(out))
	if len(f) != 2 {
		return "", "", fmt.Errorf("go env GOROOT GOVERSION: unexpected output %q", out)
	}
	return f[0], f[1], nil
}

func runtimeGo(version string) string {
	return version + " " + runtime.GOOS + "/" + runtime.GOARCH
}

// langVersion turns a toolchain version ("go1.26.8") into a go
// directive ("1.26").
func langVersion(v string) string {
	v = strings.TrimPrefix(v, "go")
	if i := strings.IndexAny(v, " -+"); i >= 0 {
		v = v[:i]
	}
	parts := strings.Split(v, ".")
	if len(parts) >= 2 {
		return parts[0] + "." + parts[1]
	}
	return v
}

// goDirective returns the go directive of the go.mod file at path, or
// def.
func goDirective(path, def string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return def
	}
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) == 2 && f[0] == "go" {
			return f[1]
		}
	}
	return def
}
