// Command syncvet-realbugs scores syncvet on concurrency bugs that public
// Go modules shipped in a release and fixed in a later one (issue 17).
//
// Usage:
//
//	go run ./cmd/syncvet-realbugs [-table FILE] [-rev REV | -syncvet BIN] [-o results.md] [-only ID,...] [-j N]
//
// Each row of the table (testdata/realbugs/bugs.tsv) names a module, the
// last release that has the bug, the first release that has the fix, the
// bug's package, file and function(s), and the syncvet check that should
// report it. The command fetches both releases through the module proxy,
// each into a throwaway module of its own (go get -t, so the package's
// tests come along), runs syncvet -json on the package in each, and
// scores every bug:
//
//   - found: in the buggy release, a finding of the named check lies
//     inside one of the named functions (closures included), or one of
//     its related positions does;
//   - gone: in the fixed release, no such finding.
//
// It prints a table and the totals, and with -o writes them as Markdown
// together with the syncvet commit measured. Without -rev or -syncvet it
// builds syncvet from the working tree. Run it from the syncvet module.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	table := flag.String("table", "testdata/realbugs/bugs.tsv", "the table of bugs")
	rev := flag.String("rev", "", "build syncvet at this git revision (default: the working tree)")
	bin := flag.String("syncvet", "", "use this syncvet binary instead of building one")
	out := flag.String("o", "", "write the results as Markdown to this file")
	only := flag.String("only", "", "score only the bugs with these ids (comma-separated)")
	jobs := flag.Int("j", 1, "module versions analysed at once")
	keep := flag.Bool("keep", false, "keep the work directory and print its path")
	flag.Parse()
	if flag.NArg() > 0 || *jobs < 1 || (*rev != "" && *bin != "") {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*table, *rev, *bin, *out, *only, *jobs, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "syncvet-realbugs:", err)
		os.Exit(1)
	}
}

func run(table, rev, bin, out, only string, jobs int, keep bool) error {
	f, err := os.Open(table)
	if err != nil {
		return err
	}
	bugs, err := readTable(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %v", table, err)
	}
	if only != "" {
		if bugs, err = selectBugs(bugs, strings.Split(only, ",")); err != nil {
			return err
		}
	}
	work, err := os.MkdirTemp("", "syncvet-realbugs-")
	if err != nil {
		return err
	}
	if keep {
		fmt.Fprintln(os.Stderr, "work directory:", work)
	} else {
		defer os.RemoveAll(work)
	}
	from := "the binary " + bin
	if bin == "" {
		root, err := moduleRoot()
		if err != nil {
			return err
		}
		fmt.Fprintln(os.Stderr, "building syncvet")
		if bin, from, err = buildSyncvet(root, rev, work); err != nil {
			return err
		}
	} else if bin, err = filepath.Abs(bin); err != nil {
		return err
	}
	runs := analyse(bugs, bin, work, jobs)
	results := score(bugs, runs)
	report := render(results, runs, from)
	fmt.Print(report)
	if out != "" {
		return os.WriteFile(out, []byte(report), 0o644)
	}
	return nil
}
