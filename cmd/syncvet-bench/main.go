// Command syncvet-bench times syncvet as a vet tool beside go vet's
// default suite and an SSA-only floor tool, on the same machine in one
// run, and prints a Markdown table of wall time, CPU time and peak RSS
// with run-by-run ratios to go vet, the staticcheck checks' share, the
// slowest packages and the cost per package.
//
// Usage (from the syncvet module root):
//
//	go run ./cmd/syncvet-bench [flags]
//	go run ./cmd/syncvet-bench -quick          # warm, 1 run, one module
//	go run ./cmd/syncvet-bench -modes edit -targets raft,client_golang -runs 2
//	syncvet-bench facts [-top N] DIR...        # fact bytes by type in .vetx files
//
// Modes: cold runs use a fresh, empty GOCACHE, so they include compiling
// every dependency, as a first CI run does. Warm runs keep the compiler's
// cache but make go vet rerun every vet tool unit (go vet caches vet
// results; the benchmark defeats that cache by giving the tool a new
// build ID per run through a -toolexec wrapper), so they measure the
// analysis itself, dependencies' fact-only units included. Edit runs
// (the analysis-bound mode of issue 18) are the run users repeat all
// day, after an edit or a pull: the compiler's cache and the vet results
// of every dependency are kept (each tool's are filled once, unmeasured,
// under a tool ID that stays the same across runs), and before every
// measured go vet a new comment line is appended to every .go file of
// the target module's copy, so that go vet reruns exactly the units of
// the module's own packages. For std, whose files are not copied, every
// unit reruns by a new tool ID as in warm mode; all of them are std's
// own packages, so the same units rerun as an edit of every file would
// make rerun (the compiler's work differs, the vet tool's does not).
//
// Every go vet invocation runs through syncvet-bench itself as
// -toolexec: it execs the compiler unchanged and times each vet tool
// process (wall, user+sys CPU, peak RSS), which gives the per-package
// numbers. Tools alternate within each run so that drifting load on the
// machine hits them alike; ratios are medians of the run-by-run ratios.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/syncvet/syncvet/internal/gitrev"
)

// knownTargets are the real modules the benchmark fetches by default:
// pinned versions, pure Go, concurrency-heavy, building cleanly.
var knownTargets = map[string]string{
	"bbolt":         "go.etcd.io/bbolt@v1.5.0",                     // B+tree store: one writer lock, mmap lock, tx goroutines
	"raft":          "github.com/hashicorp/raft@v1.8.0",            // consensus: goroutines, channels, mutexes everywhere
	"client_golang": "github.com/prometheus/client_golang@v1.25.0", // metrics: atomics, registries under locks, HTTP handlers
	"etcd":          "go.etcd.io/etcd/server/v3@v3.7.3",            // etcd's server: raft node, MVCC store, leases, watchers
}

// quickDefaults are the flag values -quick implies.
var quickDefaults = map[string]string{"modes": "warm", "targets": "raft", "tools": "vet,syncvet"}

// staticcheckChecks are the bundled staticcheck analyzers whose share the
// syncvet-nosa tool measures by turning them off.
var staticcheckChecks = []string{"SA2000", "SA2001", "SA2002", "SA2003"}

type config struct {
	targets     []string
	coldTargets []string
	modes       []string
	tools       []string
	runs        int
	top         int
	work        string
	keep        bool
	out         string
	syncvet     string
	ssafloor    string
	profileDir  string
	vetx        bool
	warmCache   string
	rev         string
	verbose     bool
}

func main() {
	if len(os.Args) > 2 && os.Args[1] == "toolexec" {
		os.Exit(toolexec(os.Args[2], os.Args[3:]))
	}
	if len(os.Args) > 1 && os.Args[1] == "facts" {
		os.Exit(factsMain(os.Args[2:], os.Stdout, os.Stderr))
	}
	os.Exit(benchMain(os.Args[1:], os.Stdout, os.Stderr))
}

func benchMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("syncvet-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		c                                  config
		targets, coldTargets, modes, tools string
		quick                              bool
	)
	fs.StringVar(&targets, "targets", "bbolt,raft,std", "comma-separated targets: std, "+knownList()+", module@version, or a local module directory")
	fs.StringVar(&coldTargets, "cold-targets", "", "targets for cold mode (default: -targets)")
	fs.StringVar(&modes, "modes", "cold,warm", "comma-separated modes: cold (fresh GOCACHE), warm (compiler cache kept, vet results recomputed), edit (analysis-bound: dependencies' compile and vet results cached, every .go file of the target module changed before each run, so only its own units rerun)")
	fs.StringVar(&tools, "tools", "vet,ssafloor,syncvet,syncvet-nosa", "comma-separated tools: vet (go vet's default suite), ssafloor (buildssa only), syncvet (its default checks), syncvet-nosa (syncvet with "+strings.Join(staticcheckChecks, ",")+" off; warm mode only), syncvet-untrimmed (syncvet with SYNCVET_FACTSONLY=off: dependencies' units run every root)")
	fs.IntVar(&c.runs, "runs", 3, "alternating runs of every target, mode and tool")
	fs.IntVar(&c.top, "top", 10, "how many of the slowest packages to list")
	fs.BoolVar(&quick, "quick", false, "quick check: -modes warm -runs 1 -targets raft -tools vet,syncvet unless those flags are given")
	fs.StringVar(&c.work, "work", "", "working directory for module copies, caches and logs (default: a new temporary directory)")
	fs.StringVar(&c.warmCache, "warm-cache", "", "GOCACHE for warm runs (default: go env GOCACHE; its compiled packages are reused, vet results are not)")
	fs.BoolVar(&c.keep, "keep", false, "keep the working directory (per-unit logs) afterwards")
	fs.StringVar(&c.out, "o", "", "also write the Markdown report to this file")
	fs.StringVar(&c.rev, "rev", "", "build syncvet and the floor from this git revision (e.g. HEAD) rather than the working tree")
	fs.StringVar(&c.syncvet, "syncvet", "", "syncvet binary (default: built from ./cmd/syncvet of the current module)")
	fs.StringVar(&c.ssafloor, "ssafloor", "", "floor binary (default: built from ./cmd/syncvet-bench/ssafloor)")
	fs.StringVar(&c.profileDir, "profile", "", "make every syncvet unit write CPU and heap profiles into this directory (slows syncvet; for go tool pprof DIR/*.cpu.pprof)")
	fs.BoolVar(&c.vetx, "vetx", false, "copy each measured unit's .vetx file into WORK/vetx/RUN (implies -keep; for syncvet-bench facts)")
	fs.BoolVar(&c.verbose, "v", false, "log each measurement to stderr")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if quick {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for name, v := range map[string]*string{"modes": &modes, "targets": &targets, "tools": &tools} {
			if !set[name] {
				*v = quickDefaults[name]
			}
		}
		if !set["runs"] {
			c.runs = 1
		}
	}
	if c.vetx {
		c.keep = true
	}
	c.targets, c.modes, c.tools = splitList(targets), splitList(modes), splitList(tools)
	c.coldTargets = c.targets
	if coldTargets != "" {
		c.coldTargets = splitList(coldTargets)
	}
	if err := validate(&c); err != nil {
		fmt.Fprintf(stderr, "syncvet-bench: %v\n", err)
		return 2
	}
	res, err := runBench(&c, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "syncvet-bench: %v\n", err)
		return 1
	}
	report := res.markdown(c.top)
	io.WriteString(stdout, report)
	if c.out != "" {
		if err := os.WriteFile(c.out, []byte(report), 0o644); err != nil {
			fmt.Fprintf(stderr, "syncvet-bench: %v\n", err)
			return 1
		}
	}
	if res.failed() {
		return 1
	}
	return 0
}

func knownList() string {
	var names []string
	for n := range knownTargets {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		names[i] = n + " (" + knownTargets[n] + ")"
	}
	return strings.Join(names, ", ")
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func validate(c *config) error {
	if c.runs < 1 {
		return fmt.Errorf("-runs must be at least 1")
	}
	for _, m := range c.modes {
		if m != "cold" && m != "warm" && m != "edit" {
			return fmt.Errorf("unknown mode %q (want cold, warm or edit)", m)
		}
	}
	hasVet := false
	for _, t := range c.tools {
		switch t {
		case "vet":
			hasVet = true
		case "ssafloor", "syncvet", "syncvet-nosa", "syncvet-untrimmed":
		default:
			return fmt.Errorf("unknown tool %q", t)
		}
	}
	if !hasVet {
		return fmt.Errorf("-tools must include vet: every ratio is to go vet")
	}
	if len(c.modes) == 0 || len(c.targets) == 0 {
		return fmt.Errorf("nothing to measure")
	}
	return nil
}

// buildTools compiles the syncvet and floor binaries the run needs
// unless given, into dir, from the working tree or from c.rev.
func buildTools(c *config, dir string, stderr io.Writer) error {
	src := ""
	if c.rev != "" {
		src = filepath.Join(dir, "src")
		if err := exportRev(c.rev, src); err != nil {
			return err
		}
	}
	need := map[string]bool{}
	for _, t := range c.tools {
		need[strings.Split(t, "-")[0]] = true
	}
	for _, b := range []struct {
		name string
		bin  *string
		pkg  string
	}{{"syncvet", &c.syncvet, "./cmd/syncvet"}, {"ssafloor", &c.ssafloor, "./cmd/syncvet-bench/ssafloor"}} {
		if !need[b.name] {
			continue
		}
		if *b.bin != "" {
			abs, err := filepath.Abs(*b.bin)
			if err != nil {
				return err
			}
			*b.bin = abs
			continue
		}
		out := filepath.Join(dir, filepath.Base(b.pkg))
		cmd := exec.Command("go", "build", "-o", out, b.pkg)
		cmd.Dir = src
		cmd.Stdout, cmd.Stderr = stderr, stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("building %s (run from the syncvet module root, or pass -syncvet/-ssafloor): %v", b.pkg, err)
		}
		*b.bin = out
	}
	return nil
}

func now() string { return time.Now().UTC().Format("2006-01-02 15:04 UTC") }

// exportRev writes the files of git revision rev of the current
// repository into dir.
func exportRev(rev, dir string) error {
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return fmt.Errorf("-rev needs a git checkout: %v", err)
	}
	return gitrev.Export(strings.TrimSpace(string(top)), rev, dir)
}
