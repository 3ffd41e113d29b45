package ssax_test

import (
	"testing"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

const cellSrc = `package p

type T struct{ n int }

func read(t *T, f func(func() int)) { f(func() int { return t.n }) }

func reassigned(t *T, f func(func())) { f(func() { t = nil }) }

func nested(t *T, f func(func() func() int)) {
	f(func() func() int { return func() int { return t.n } })
}
`

// TestSoleStore checks which captured parameters' cells stand for the
// parameter: read-only captures (also through a nested closure) do, a
// closure that assigns the variable does not.
func TestSoleStore(t *testing.T) {
	pkg := buildSrc(t, cellSrc)
	for name, want := range map[string]bool{"read": true, "reassigned": false, "nested": true} {
		fn := pkg.Func(name)
		var cell *ssa.Alloc
		for _, in := range fn.Blocks[0].Instrs {
			if a, ok := in.(*ssa.Alloc); ok && a.Comment == "t" {
				cell = a
			}
		}
		if cell == nil {
			t.Fatalf("%s: no cell for t", name)
		}
		got := ssax.SoleStore(cell)
		if want && got != fn.Params[0] || !want && got != nil {
			t.Errorf("%s: SoleStore = %v, want the parameter: %v", name, got, want)
		}
	}
}

const capturedSrc = `package p

func never() {
	var ch chan int
	go func() { ch <- 1 }()
}

func made() *int {
	p := new(int)
	go func() { *p = 1 }()
	return p
}
`

// TestCapturedAndStores checks what a function literal's captured
// variable holds: a channel variable never assigned has no stores (its
// zero value, nil), and a variable assigned once, captured by a
// goroutine, stands for its one value (Unspill).
func TestCapturedAndStores(t *testing.T) {
	pkg := buildSrc(t, capturedSrc)
	lit := pkg.Func("never").AnonFuncs[0]
	cell, ok := ssax.Captured(lit.FreeVars[0]).(*ssa.Alloc)
	if !ok {
		t.Fatalf("never: Captured = %v, want the cell of ch", ssax.Captured(lit.FreeVars[0]))
	}
	if vals, ok := ssax.Stores(cell); !ok || len(vals) != 0 {
		t.Errorf("never: Stores = %v, %v; want none, true", vals, ok)
	}

	fn := pkg.Func("made")
	var load *ssa.UnOp
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if u, ok := in.(*ssa.UnOp); ok {
				if _, isCell := u.X.(*ssa.Alloc); isCell {
					load = u
				}
			}
		}
	}
	if load == nil {
		t.Fatal("made: no load of p's cell")
	}
	if _, ok := ssax.Unspill(load).(*ssa.Alloc); !ok || ssax.Unspill(load) == load {
		t.Errorf("made: Unspill(%v) = %v, want the allocation new(int)", load, ssax.Unspill(load))
	}
}
