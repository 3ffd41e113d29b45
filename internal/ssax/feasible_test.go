package ssax_test

import (
	"testing"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

const feasibleSrc = `package p

func both(c1, c2 chan bool) int {
	a, b := false, false
	for !a || !b {
		select {
		case a = <-c1:
		case b = <-c2:
		}
	}
	return 1
}

func bounded(c1 chan bool) int {
	a := false
	for i := 0; i < 3; i++ {
		select {
		case a = <-c1:
		default:
		}
		if a {
			break
		}
	}
	return 1
}
`

// reachesReturn reports whether a return of fn is reachable over the
// feasible edges that avoid the first case of fn's select.
func reachesReturn(t *testing.T, fn *ssa.Function) bool {
	t.Helper()
	var from, to *ssa.BasicBlock
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if sel, ok := in.(*ssa.Select); ok {
				var ok2 bool
				from, to, ok2 = ssax.CaseEdge(sel, 0)
				if !ok2 {
					t.Fatalf("%s: no edge for case 0", fn.Name())
				}
			}
		}
	}
	edges := ssax.FeasibleEdges(fn.Blocks[0], func(f, s *ssa.BasicBlock) bool { return f == from && s == to })
	seen := map[*ssa.BasicBlock]bool{fn.Blocks[0]: true}
	work := []*ssa.BasicBlock{fn.Blocks[0]}
	for len(work) > 0 {
		b := work[0]
		work = work[1:]
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			return true
		}
		for _, s := range b.Succs {
			if edges[ssax.Edge{From: b, To: s}] && !seen[s] {
				seen[s] = true
				work = append(work, s)
			}
		}
	}
	return false
}

func TestFeasibleEdges(t *testing.T) {
	pkg := buildSrc(t, feasibleSrc)
	if reachesReturn(t, pkg.Func("both")) {
		t.Errorf("both: a path that never receives from c1 leaves the loop; want none (a stays false)")
	}
	if !reachesReturn(t, pkg.Func("bounded")) {
		t.Errorf("bounded: the counted loop ends without a receive; want a path to the return")
	}
}
