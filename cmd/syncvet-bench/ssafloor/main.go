// Command ssafloor is the floor of syncvet-bench: a vet tool that does
// nothing but build SSA for every package it is given, dependencies
// included, so that its cost is what any SSA-based vet tool pays before
// its first check runs.
//
// Its one analyzer requires buildssa and exports a package fact (the
// number of source functions), which makes unitchecker run it, and so
// build SSA, on the dependency units that go vet analyses for facts only,
// as it does for syncvet's fact-producing passes.
//
// Usage:
//
//	go vet -vettool=$(command -v ssafloor) ./...
package main

import (
	"fmt"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/unitchecker"
)

// Analyzer builds SSA and records how many source functions it built.
var Analyzer = &analysis.Analyzer{
	Name:      "ssafloor",
	Doc:       "build SSA for every package and report nothing (benchmark floor)",
	Requires:  []*analysis.Analyzer{buildssa.Analyzer},
	FactTypes: []analysis.Fact{new(Funcs)},
	Run:       run,
}

// Funcs is the package fact: how many source functions were built.
type Funcs struct{ N int }

func (*Funcs) AFact() {}

func (f *Funcs) String() string { return fmt.Sprintf("funcs(%d)", f.N) }

func run(pass *analysis.Pass) (any, error) {
	ssa := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	pass.ExportPackageFact(&Funcs{N: len(ssa.SrcFuncs)})
	return nil, nil
}

func main() { unitchecker.Main(Analyzer) }
