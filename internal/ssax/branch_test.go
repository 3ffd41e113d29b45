package ssax_test

import (
	"testing"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

const branchSrc = `package p

type C struct{ closed bool }

func plain(c *C) int {
	if c.closed {
		return 1
	}
	return 2
}

func negated(c *C) int {
	if !c.closed {
		return 1
	}
	return 2
}

func computed(c *C) int {
	open := !c.closed
	if open {
		return 1
	}
	return 2
}

func local(b bool) int {
	if b {
		return 1
	}
	return 2
}
`

// returned is the constant that block b returns.
func returned(b *ssa.BasicBlock) string {
	ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
	if !ok || len(ret.Results) != 1 {
		return "?"
	}
	return ret.Results[0].(*ssa.Const).Value.String()
}

func TestBranchOf(t *testing.T) {
	pkg := buildSrc(t, branchSrc)
	for _, tc := range []struct {
		fn        string
		field     bool   // Cond loads c.closed
		whenTrue  string // what the OnTrue side returns
		whenFalse string
	}{
		{"plain", true, "1", "2"},
		{"negated", true, "2", "1"},  // closed true: skips the then branch
		{"computed", true, "2", "1"}, // the negation kept as a value
		{"local", false, "1", "2"},
	} {
		fn := pkg.Func(tc.fn)
		br, ok := ssax.BranchOf(fn.Blocks[0])
		if !ok {
			t.Errorf("%s: no branch at the entry block", tc.fn)
			continue
		}
		load, fa := ssax.FieldLoad(br.Cond)
		if got := load != nil && fa != nil && ssax.FieldOf(fa).Name() == "closed"; got != tc.field {
			t.Errorf("%s: Cond %v loads c.closed = %v, want %v", tc.fn, br.Cond, got, tc.field)
		}
		if got := returned(br.OnTrue); got != tc.whenTrue {
			t.Errorf("%s: OnTrue returns %s, want %s", tc.fn, got, tc.whenTrue)
		}
		if got := returned(br.OnFalse); got != tc.whenFalse {
			t.Errorf("%s: OnFalse returns %s, want %s", tc.fn, got, tc.whenFalse)
		}
	}
	if _, ok := ssax.BranchOf(pkg.Func("plain").Blocks[1]); ok {
		t.Error("a block ending in a return has no branch")
	}
}
