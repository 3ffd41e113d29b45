// Command syncvet-report runs the runtime/ benchmarks briefly, or reads
// their output from files, and writes a Markdown report with one SVG
// chart per benchmark group: throughput (or time per operation)
// against the number of cores, one line per strategy.
//
// It lives in the runtime module (runtime/go.mod), so that the linter's
// module does not depend on its plotting, font and LaTeX modules. Usage,
// from runtime/:
//
//	go run ./cmd/syncvet-report -cpu 1,2,4,8,16 -out ../docs/runtime-report
//
// runs go test -run '^$' -bench . -cpu ... -json on ./strategies and
// ./sched. On a machine without a Go toolchain, build the test binaries
// elsewhere (in runtime/) and pass them with -test:
//
//	CGO_ENABLED=0 go test -c -o strategies.test ./strategies
//	CGO_ENABLED=0 go test -c -o sched.test ./sched
//	syncvet-report -test ./strategies.test -test ./sched.test -cpu 1,2,4,8,16 -out report
//
// The raw output is kept in the report directory as bench.txt. To chart
// output measured elsewhere (go test -bench text or go test -json),
// pass the files as arguments; nothing is run then:
//
//	syncvet-report -out ../docs/runtime-report-16 -machine "16 cores, ..." bench.txt
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func main() {
	var (
		out       = flag.String("out", "../docs/runtime-report", "directory for README.md, the SVG charts and bench.txt")
		cpu       = flag.String("cpu", defaultCPU(), "comma-separated GOMAXPROCS values to run the benchmarks with")
		benchtime = flag.String("benchtime", "100ms", "time (or Nx iterations) per benchmark")
		count     = flag.Int("count", 1, "runs of each benchmark (the report shows medians)")
		bench     = flag.String("bench", ".", "regexp selecting benchmarks")
		pkgs      = flag.String("pkg", "./strategies,./sched", "packages to benchmark with go test (run from runtime/)")
		label     = flag.String("machine", "", "description of the machine for the report (default: CPU count and OS)")
		format    = flag.String("format", "svg", "chart format: svg or png")
		tests     listFlag
	)
	flag.Var(&tests, "test", "prebuilt test binary to run instead of go test (repeatable)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: syncvet-report [flags] [benchmark-output-file...]\n")
		flag.PrintDefaults()
	}
	flag.Parse()

	rs := new(results)
	m := machine{label: *label, date: time.Now().UTC().Format("2006-01-02")}
	var raw bytes.Buffer
	if flag.NArg() > 0 {
		m.date = ""
		for _, file := range flag.Args() {
			data, err := os.ReadFile(file)
			if err != nil {
				fatal(err)
			}
			raw.Write(data)
		}
	} else {
		if m.label == "" {
			m.label = fmt.Sprintf("%d logical CPUs, %s/%s", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
		}
		var err error
		if len(tests) > 0 {
			m.command, err = runBinaries(&raw, tests, *bench, *cpu, *benchtime, *count)
		} else {
			m.goVersion = goVersion()
			m.command, err = runGoTest(&raw, strings.Split(*pkgs, ","), *bench, *cpu, *benchtime, *count)
		}
		if err != nil {
			fatal(err)
		}
	}
	if err := rs.parse(bytes.NewReader(raw.Bytes())); err != nil {
		fatal(err)
	}
	// Output read from files: what the files recorded about the run
	// fills what the flags left open.
	for _, f := range []struct {
		field *string
		key   string
	}{{&m.label, "machine"}, {&m.date, "date"}, {&m.command, "command"}, {&m.goVersion, "go"}} {
		if *f.field == "" {
			*f.field = rs.meta[f.key]
		}
	}
	if len(rs.list) == 0 {
		fatal(fmt.Errorf("no benchmark results found"))
	}
	if *format != "svg" && *format != "png" {
		fatal(fmt.Errorf("-format must be svg or png"))
	}
	if err := write(*out, rs, m, *format); err != nil {
		fatal(err)
	}
	text, _ := textOf(raw.Bytes())
	if flag.NArg() == 0 {
		var meta strings.Builder
		for _, kv := range [][2]string{{"machine", m.label}, {"date", m.date}, {"command", m.command}, {"go", m.goVersion}} {
			if kv[1] != "" {
				fmt.Fprintf(&meta, "%s%s: %s\n", metaPrefix, kv[0], kv[1])
			}
		}
		text = meta.String() + text
	}
	if err := os.WriteFile(filepath.Join(*out, "bench.txt"), []byte(text), 0o644); err != nil {
		fatal(err)
	}
	fmt.Fprintf(os.Stderr, "syncvet-report: %d results written to %s\n", len(rs.list), filepath.Join(*out, "README.md"))
}

// defaultCPU returns 1, 2, 4, ... up to the number of CPUs, and that
// number itself.
func defaultCPU() string {
	var ns []string
	n := 1
	for ; n < runtime.NumCPU(); n *= 2 {
		ns = append(ns, strconv.Itoa(n))
	}
	ns = append(ns, strconv.Itoa(runtime.NumCPU()))
	return strings.Join(ns, ",")
}

// runGoTest runs the benchmarks of pkgs with go test -json, appending
// its output to w.
func runGoTest(w io.Writer, pkgs []string, bench, cpu, benchtime string, count int) (string, error) {
	args := []string{"test", "-run", "^$", "-bench", bench, "-cpu", cpu, "-benchtime", benchtime, "-count", strconv.Itoa(count), "-json"}
	args = append(args, pkgs...)
	cmd := exec.Command("go", args...)
	cmd.Stdout, cmd.Stderr = w, os.Stderr
	shown := "go " + strings.Join(args, " ")
	fmt.Fprintf(os.Stderr, "syncvet-report: %s\n", shown)
	if err := cmd.Run(); err != nil {
		return shown, fmt.Errorf("%s: %v", shown, err)
	}
	return shown, nil
}

// runBinaries runs each prebuilt test binary's benchmarks, appending the
// plain-text output to w.
func runBinaries(w io.Writer, bins []string, bench, cpu, benchtime string, count int) (string, error) {
	var shown []string
	for _, bin := range bins {
		args := []string{"-test.run=^$", "-test.bench=" + bench, "-test.cpu=" + cpu, "-test.benchtime=" + benchtime, "-test.count=" + strconv.Itoa(count)}
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = w, os.Stderr
		line := filepath.Base(bin) + " " + strings.Join(args, " ")
		shown = append(shown, line)
		fmt.Fprintf(os.Stderr, "syncvet-report: %s\n", line)
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("%s: %v", line, err)
		}
	}
	return strings.Join(shown, "; "), nil
}

func goVersion() string {
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func fatal(err error) {
	fmt.Fprintf(os.Stderr, "syncvet-report: %v\n", err)
	os.Exit(1)
}
