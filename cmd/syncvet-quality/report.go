package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Result is what one run measured; -json prints it and -baseline reads
// an earlier one.
type Result struct {
	Syncvet string       // what the binary was built from: a commit, maybe with the working tree's changes
	Go      string       // the toolchain that ran it
	Date    string       // UTC
	Seconds float64      // wall time of the whole run, building syncvet included
	Race    *RaceResult  `json:",omitempty"`
	GoKer   *GoKerResult `json:",omitempty"`
	Changes *Diff        `json:",omitempty"` // against -baseline
}

// Diff is what changed since a baseline result.
type Diff struct {
	Baseline string // the baseline's Syncvet

	RaceBefore, RaceAfter *Score   `json:",omitempty"`
	NewlyFound            []string `json:",omitempty"` // racy tests now flagged
	NewlyMissed           []string `json:",omitempty"` // racy tests no longer flagged
	NewFPs                []string `json:",omitempty"` // clean tests now flagged
	FixedFPs              []string `json:",omitempty"` // clean tests no longer flagged
	TestsOnlyBefore       []string `json:",omitempty"` // scored tests of one run only (another corpus or Go version)
	TestsOnlyAfter        []string `json:",omitempty"`

	Subtypes          []SubtypeChange `json:",omitempty"` // subtypes whose found count changed
	KernelsFound      []string        `json:",omitempty"` // kernels now found
	KernelsMissed     []string        `json:",omitempty"` // kernels no longer found
	KernelsOnlyBefore []string        `json:",omitempty"`
	KernelsOnlyAfter  []string        `json:",omitempty"`
}

// SubtypeChange is one subtype's found count before and after.
type SubtypeChange struct {
	Kind, Type, Subtype string
	Before, After       string // "found/total"; "" when absent
}

// regressed reports whether anything got worse: a racy test or kernel
// no longer found, or a new false positive.
func (d *Diff) regressed() bool {
	return len(d.NewlyMissed) > 0 || len(d.NewFPs) > 0 || len(d.KernelsMissed) > 0
}

// diff compares a result with a baseline. A corpus measured in only one
// of them is not compared.
func diff(base, cur *Result) *Diff {
	d := &Diff{Baseline: base.Syncvet}
	if base.Race != nil && cur.Race != nil {
		b, a := base.Race.Total, cur.Race.Total
		d.RaceBefore, d.RaceAfter = &b, &a
		before := make(map[string]TestResult)
		for _, t := range base.Race.Tests {
			before[t.Name] = t
		}
		for _, t := range cur.Race.Tests {
			old, ok := before[t.Name]
			delete(before, t.Name)
			name := t.File + ": " + t.Name
			switch {
			case !ok:
				d.TestsOnlyAfter = append(d.TestsOnlyAfter, name)
			case old.Outcome == "FN" && t.Outcome == "TP":
				d.NewlyFound = append(d.NewlyFound, name)
			case old.Outcome == "TP" && t.Outcome == "FN":
				d.NewlyMissed = append(d.NewlyMissed, name)
			case old.Outcome == "TN" && t.Outcome == "FP":
				d.NewFPs = append(d.NewFPs, name)
			case old.Outcome == "FP" && t.Outcome == "TN":
				d.FixedFPs = append(d.FixedFPs, name)
			}
		}
		for _, t := range before {
			d.TestsOnlyBefore = append(d.TestsOnlyBefore, t.File+": "+t.Name)
		}
	}
	if base.GoKer != nil && cur.GoKer != nil {
		before := make(map[string]Kernel)
		for _, k := range base.GoKer.Kernels {
			before[k.Kind+"/"+k.ID] = k
		}
		for _, k := range cur.GoKer.Kernels {
			key := k.Kind + "/" + k.ID
			old, ok := before[key]
			delete(before, key)
			switch {
			case !ok:
				d.KernelsOnlyAfter = append(d.KernelsOnlyAfter, key)
			case !old.Found && k.Found:
				d.KernelsFound = append(d.KernelsFound, key)
			case old.Found && !k.Found:
				d.KernelsMissed = append(d.KernelsMissed, key)
			}
		}
		for key := range before {
			d.KernelsOnlyBefore = append(d.KernelsOnlyBefore, key)
		}
		type st = [3]string
		counts := make(map[st]*SubtypeChange)
		var order []st
		get := func(s SubtypeScore) *SubtypeChange {
			k := st{s.Kind, s.Type, s.Subtype}
			if counts[k] == nil {
				counts[k] = &SubtypeChange{Kind: s.Kind, Type: s.Type, Subtype: s.Subtype}
				order = append(order, k)
			}
			return counts[k]
		}
		for _, s := range base.GoKer.Subtypes {
			get(s).Before = fmt.Sprintf("%d/%d", s.Found, s.Total)
		}
		for _, s := range cur.GoKer.Subtypes {
			get(s).After = fmt.Sprintf("%d/%d", s.Found, s.Total)
		}
		for _, k := range order {
			if c := counts[k]; c.Before != c.After {
				d.Subtypes = append(d.Subtypes, *c)
			}
		}
	}
	for _, l := range [][]string{d.NewlyFound, d.NewlyMissed, d.NewFPs, d.FixedFPs, d.TestsOnlyBefore, d.TestsOnlyAfter,
		d.KernelsFound, d.KernelsMissed, d.KernelsOnlyBefore, d.KernelsOnlyAfter} {
		sort.Strings(l)
	}
	return d
}

// printText writes the human-readable summary of r.
func printText(w io.Writer, r *Result) {
	fmt.Fprintf(w, "syncvet %s, %s, %s; %.0f s in all\n", r.Syncvet, r.Go, r.Date, r.Seconds)
	if rr := r.Race; rr != nil {
		fmt.Fprintf(w, "\nRace-detector corpus: %s\n", rr.Dir)
		fmt.Fprintf(w, "Scored per test function: TestRace* racy, TestNoRace* clean; flagged when %s reports in it,\nor in a helper it calls directly by name.\n", scoredCheck)
		for _, n := range rr.Skipped {
			fmt.Fprintf(w, "  skipped %s: %s", n.File, n.Note)
			if len(n.Tests) > 0 {
				fmt.Fprintf(w, " (not scored: %s)", strings.Join(n.Tests, ", "))
			}
			fmt.Fprintln(w)
		}
		for _, n := range rr.Rewritten {
			fmt.Fprintf(w, "  rewrote %s: %s\n", n.File, n.Note)
		}
		fmt.Fprintf(w, "\n  %-20s %5s %5s %4s %4s %4s %4s %9s %6s\n", "file", "racy", "clean", "TP", "FP", "FN", "TN", "precision", "recall")
		for _, f := range rr.Files {
			fmt.Fprintf(w, "  %-20s %5d %5d %4d %4d %4d %4d %9s %6s\n", f.File, f.Racy, f.Clean, f.TP, f.FP, f.FN, f.TN, ratio(f.TP+f.FP, f.Precision), ratio(f.TP+f.FN, f.Recall))
		}
		t := rr.Total
		fmt.Fprintf(w, "  %-20s %5d %5d %4d %4d %4d %4d %9s %6s\n", "total", t.TP+t.FN, t.FP+t.TN, t.TP, t.FP, t.FN, t.TN, ratio(t.TP+t.FP, t.Precision), ratio(t.TP+t.FN, t.Recall))
		fmt.Fprintf(w, "\n  Race-detector corpus: precision %.2f, recall %.2f (TP %d, FP %d, FN %d, TN %d)\n", t.Precision, t.Recall, t.TP, t.FP, t.FN, t.TN)
		fmt.Fprintf(w, "  %s findings: %d inside scored tests, %d in helpers that scored tests call, %d attributed to no scored test\n",
			"all checks'", rr.InTests, rr.ViaHelper, len(rr.Unassigned))
		var names []string
		for c := range rr.Checks {
			names = append(names, c)
		}
		sort.Strings(names)
		for _, c := range names {
			n := rr.Checks[c]
			fmt.Fprintf(w, "  %-14s %4d findings, in %d racy and %d clean tests\n", c, n.Findings, n.RacyTests, n.CleanTests)
		}
		for _, u := range rr.Unassigned {
			fmt.Fprintf(w, "  unattributed: %s\n", u)
		}
		fps, fns := rr.falseLists()
		printList(w, "false positives", fps)
		printList(w, "false negatives", fns)
		fmt.Fprintf(w, "  syncvet took %.0f s\n", rr.Seconds)
	}
	if g := r.GoKer; g != nil {
		files := "non-test files"
		if g.AsTests {
			files = "_test.go files, as shipped"
		}
		fmt.Fprintf(w, "\nGoKer kernels: %s (each a package of a go %s module, in %s)\n", g.Dir, g.GoVersion, files)
		fmt.Fprintf(w, "A kernel is found when blocking: %s, nonblocking: %s reports anywhere in it.\n\n",
			strings.Join(countedChecks["blocking"], "/"), strings.Join(countedChecks["nonblocking"], "/"))
		var found, total int
		for _, s := range g.Subtypes {
			fmt.Fprintf(w, "  %-12s %-24s %-30s %3d/%d\n", s.Kind, s.Type, s.Subtype, s.Found, s.Total)
			found += s.Found
			total += s.Total
		}
		fmt.Fprintf(w, "  %-68s %3d/%d\n", "total", found, total)
		for _, kind := range []string{"blocking", "nonblocking"} {
			var f, m, e []string
			for _, k := range g.Kernels {
				if k.Kind != kind {
					continue
				}
				switch {
				case k.Error != "":
					e = append(e, k.ID+": "+k.Error)
					m = append(m, k.ID+" (error)")
				case k.Found:
					f = append(f, k.ID)
				default:
					m = append(m, k.ID+otherChecks(k))
				}
			}
			printList(w, kind+" found", f)
			printList(w, kind+" missed", m)
			printList(w, kind+" not analysed", e)
		}
		fmt.Fprintf(w, "  syncvet took %.0f s\n", g.Seconds)
	}
	if d := r.Changes; d != nil {
		printDiff(w, d)
	}
}

// otherChecks names the uncounted checks that reported on a missed
// kernel.
func otherChecks(k Kernel) string {
	var s []string
	for c, n := range k.Checks {
		s = append(s, fmt.Sprintf("%s %d", c, n))
	}
	if len(s) == 0 {
		return ""
	}
	sort.Strings(s)
	return " (" + strings.Join(s, ", ") + ")"
}

// ratio formats a precision or recall, "-" when its denominator is 0.
func ratio(den int, v float64) string {
	if den == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", v)
}

func printList(w io.Writer, title string, l []string) {
	if len(l) == 0 {
		return
	}
	fmt.Fprintf(w, "  %s (%d):\n", title, len(l))
	for _, s := range l {
		fmt.Fprintf(w, "    %s\n", s)
	}
}

func printDiff(w io.Writer, d *Diff) {
	fmt.Fprintf(w, "\nChanges since the baseline (syncvet %s):\n", d.Baseline)
	if d.RaceBefore != nil {
		b, a := d.RaceBefore, d.RaceAfter
		fmt.Fprintf(w, "  race corpus: precision %.2f -> %.2f, recall %.2f -> %.2f (TP %d -> %d, FP %d -> %d, FN %d -> %d)\n",
			b.Precision, a.Precision, b.Recall, a.Recall, b.TP, a.TP, b.FP, a.FP, b.FN, a.FN)
	}
	printList(w, "newly found racy tests", d.NewlyFound)
	printList(w, "newly missed racy tests", d.NewlyMissed)
	printList(w, "new false positives", d.NewFPs)
	printList(w, "false positives gone", d.FixedFPs)
	printList(w, "tests only in the baseline", d.TestsOnlyBefore)
	printList(w, "tests only in this run", d.TestsOnlyAfter)
	for _, s := range d.Subtypes {
		fmt.Fprintf(w, "  GoKer %s %s / %s: %s -> %s\n", s.Kind, s.Type, s.Subtype, orNone(s.Before), orNone(s.After))
	}
	printList(w, "newly found kernels", d.KernelsFound)
	printList(w, "newly missed kernels", d.KernelsMissed)
	printList(w, "kernels only in the baseline", d.KernelsOnlyBefore)
	printList(w, "kernels only in this run", d.KernelsOnlyAfter)
	if d.regressed() {
		fmt.Fprintln(w, "  REGRESSED: something found before is missed now, or a clean test is newly flagged")
	} else {
		fmt.Fprintln(w, "  nothing found before is missed now, and no clean test is newly flagged")
	}
}

func orNone(s string) string {
	if s == "" {
		return "absent"
	}
	return s
}
