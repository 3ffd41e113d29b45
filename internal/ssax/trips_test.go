package ssax_test

import (
	"testing"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

const tripsSrc = `package p

func g(int) {}

func count3() {
	for i := 0; i < 3; i++ {
		go g(i)
	}
}

func rangeInt() {
	for range 4 {
		go g(0)
	}
}

func rangeArray() {
	for _, x := range [2]int{4, 5} {
		go g(x)
	}
}

func skipOdd() {
	for i := 0; i < 6; i++ {
		if i%2 == 1 {
			continue
		}
		go g(i)
	}
}

func countDown() {
	for i := 5; i > 2; i-- {
		go g(i)
	}
}

func bounded(n int) {
	for i := 0; i < n; i++ {
		go g(i)
	}
}

func overSlice(xs []int) {
	for _, x := range xs {
		go g(x)
	}
}

func captured() {
	for i := 0; i < 3; i++ {
		go func() { g(i) }()
	}
}

func capturedChanged() {
	for i := 0; i < 3; i++ {
		go func() { g(i); i++ }()
	}
}

func appends() []int {
	var out []int
	for range 5 {
		out = append(out, 1) // an array for the argument, each round
		go g(len(out))
	}
	return out
}

func escapedCounter() {
	for i := 0; i < 3; i++ {
		go g(i)
		bump(&i)
	}
}

func bump(p *int) { *p++ }

func breaksOut(xs []int) {
	for i := 0; i < 3; i++ {
		if xs[i] == 0 {
			break
		}
		go g(i)
	}
}
`

// TestConstTrips runs each function's loop on constants and counts its
// go statements: loops bounded by constants are counted, loops bounded
// or left by run-time values are not.
func TestConstTrips(t *testing.T) {
	pkg := buildSrc(t, tripsSrc)
	for name, want := range map[string]int64{
		"count3": 3, "rangeInt": 4, "captured": 3, "capturedChanged": -1, "rangeArray": 2, "countDown": 3,
		"skipOdd": -1, "bounded": -1, "overSlice": -1, "breaksOut": -1, "appends": 5, "escapedCounter": -1,
	} {
		fn := pkg.Func(name)
		var site *ssa.BasicBlock
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				if _, ok := in.(*ssa.Go); ok {
					site = b
				}
			}
		}
		got, ok := ssax.ConstTrips(cycleOf(site), site)
		if !ok {
			got = -1
		}
		if got != want {
			t.Errorf("%s: ConstTrips = %d, want %d (-1: not counted)", name, got, want)
		}
	}
}

// cycleOf returns the blocks that lie on a cycle through b.
func cycleOf(b *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	reach := func(from *ssa.BasicBlock, succ func(*ssa.BasicBlock) []*ssa.BasicBlock) map[*ssa.BasicBlock]bool {
		seen := map[*ssa.BasicBlock]bool{}
		work := []*ssa.BasicBlock{from}
		for len(work) > 0 {
			x := work[len(work)-1]
			work = work[:len(work)-1]
			for _, s := range succ(x) {
				if !seen[s] {
					seen[s] = true
					work = append(work, s)
				}
			}
		}
		return seen
	}
	fwd := reach(b, func(x *ssa.BasicBlock) []*ssa.BasicBlock { return x.Succs })
	back := reach(b, func(x *ssa.BasicBlock) []*ssa.BasicBlock { return x.Preds })
	body := map[*ssa.BasicBlock]bool{}
	for x := range fwd {
		if back[x] {
			body[x] = true
		}
	}
	return body
}
