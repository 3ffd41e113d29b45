package callees_test

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/passes/callees"
)

// show reports, at each call without a static callee, the functions the
// resolver gives for it.
var show = &analysis.Analyzer{
	Name:     "showcallees",
	Doc:      "test helper: report resolved callees",
	Requires: []*analysis.Analyzer{buildssa.Analyzer, callees.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		res := pass.ResultOf[callees.Analyzer].(*callees.Result)
		for _, fn := range pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA).SrcFuncs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					c, ok := instr.(ssa.CallInstruction)
					if !ok || c.Common().StaticCallee() != nil {
						continue
					}
					targets, _ := res.Callees(c)
					if len(targets) == 0 {
						continue
					}
					var ns []string
					for _, t := range targets {
						ns = append(ns, names.Func(t))
					}
					pass.Reportf(c.Pos(), "%s calls %s", names.Func(fn), strings.Join(ns, ", "))
				}
			}
		}
		return nil, nil
	},
}

func TestCallees(t *testing.T) {
	dir, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, show, "callees/basic")
}
