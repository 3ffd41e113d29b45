package main

import (
	"os"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/syncvet/syncvet/internal/factscope"
)

// factsOnly trims the work of a facts-only unit: go vet analyses every
// dependency of the packages named on the command line only for the
// facts it exports, and unitchecker then runs every root analyzer that
// uses facts anywhere below it, whole, and drops its findings. A root
// that exports no facts itself (overlock, the staticcheck checks through
// buildir and ctrlflow, lostcancel through ctrlflow) does that work for
// nothing: SA2002 and SA2003 build staticcheck's whole IR of every
// dependency, runtime and net/http included.
//
// In a facts-only unit (a VetxOnly .cfg in args), each such root is
// replaced by a stand-in with the same name and flags (so -NAME and
// -NAME=false mean what they did) that requires just the fact-exporting
// analyzers below it and does nothing itself. The unit exports exactly
// the facts it did before. Other units, and -V=full and -flags calls,
// get as unchanged, and so does every unit when SYNCVET_FACTSONLY=off
// (to compare, or to rule this out).
func factsOnly(as []*analysis.Analyzer, args []string) []*analysis.Analyzer {
	if len(args) == 0 || !strings.HasSuffix(args[len(args)-1], ".cfg") || os.Getenv("SYNCVET_FACTSONLY") == "off" {
		return as
	}
	if _, vetxOnly, err := readUnit(args[len(args)-1]); err != nil || !vetxOnly {
		return as
	}
	factscope.SetFactsOnly(true) // checks that export facts skip the rest
	return factRoots(as)
}

// factRoots returns as with every root that exports no facts replaced
// by a stand-in requiring only the fact-exporting analyzers below it.
func factRoots(as []*analysis.Analyzer) []*analysis.Analyzer {
	out := make([]*analysis.Analyzer, len(as))
	for i, a := range as {
		out[i] = a
		if len(a.FactTypes) > 0 {
			continue
		}
		var below []*analysis.Analyzer
		seen := map[*analysis.Analyzer]bool{}
		var walk func(*analysis.Analyzer)
		walk = func(x *analysis.Analyzer) {
			for _, r := range x.Requires {
				if seen[r] {
					continue
				}
				seen[r] = true
				if len(r.FactTypes) > 0 {
					below = append(below, r) // it brings what it requires
					continue
				}
				walk(r)
			}
		}
		walk(a)
		out[i] = &analysis.Analyzer{
			Name:     a.Name,
			Doc:      a.Doc,
			URL:      a.URL,
			Flags:    a.Flags,
			Requires: below,
			Run:      func(*analysis.Pass) (any, error) { return nil, nil },
		}
	}
	return out
}
