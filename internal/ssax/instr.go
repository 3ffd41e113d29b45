package ssax

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Dominates reports whether instruction x runs before instruction y on
// every path to y (both of one function): earlier in y's block, or in a
// block that dominates it.
func Dominates(x, y ssa.Instruction) bool {
	if x.Block() == nil || y.Block() == nil {
		return false
	}
	if x.Block() == y.Block() {
		for _, in := range x.Block().Instrs {
			if in == x {
				return true
			}
			if in == y {
				return false
			}
		}
		return false
	}
	return x.Block().Dominates(y.Block())
}

// ReadsField reports whether v is computed, a few operations deep, from
// a load of a struct field: a test of the object's state (s.URL != "",
// g.routines == 0, len(s.items) > 0).
func ReadsField(v ssa.Value) bool { return readsField(v, 0) }

func readsField(v ssa.Value, depth int) bool {
	if depth > 3 {
		return false
	}
	switch x := v.(type) {
	case *ssa.UnOp:
		if _, ok := x.X.(*ssa.FieldAddr); ok && x.Op == token.MUL {
			return true
		}
		return readsField(x.X, depth+1)
	case *ssa.BinOp:
		return readsField(x.X, depth+1) || readsField(x.Y, depth+1)
	case *ssa.Field:
		return true
	case *ssa.Call:
		if b, ok := x.Call.Value.(*ssa.Builtin); ok && b.Name() == "len" && len(x.Call.Args) == 1 {
			return readsField(x.Call.Args[0], depth+1)
		}
	}
	return false
}

// IsTrue reports whether v is the constant true.
func IsTrue(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.Value != nil && k.Value.Kind() == constant.Bool && constant.BoolVal(k.Value)
}

// InTestFile reports whether pos lies in a _test.go file.
func InTestFile(fset *token.FileSet, pos token.Pos) bool {
	f := fset.File(pos)
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
}

// DeadArrayLoad reports whether load reads a whole array that nothing
// uses: go/ssa loads the array of `for i := range x.arr` although the
// loop only counts to its constant length, and the compiled program
// reads nothing there.
func DeadArrayLoad(load *ssa.UnOp) bool {
	if _, ok := load.Type().Underlying().(*types.Array); !ok {
		return false
	}
	if refs := load.Referrers(); refs != nil {
		for _, r := range *refs {
			if _, dbg := r.(*ssa.DebugRef); !dbg {
				return false
			}
		}
	}
	return true
}

// Pos returns instr's position, or for a call without one that go/ssa
// made for a range-over-func loop (the iterator called with the loop's
// body), the position of the loop's range keyword.
func Pos(instr ssa.Instruction) token.Pos {
	if p := instr.Pos(); p.IsValid() {
		return p
	}
	return yieldPos(instr)
}

// ReportPos returns a position to report instr at: Pos, or for an
// instruction without one (the element load of a range over a slice),
// that of the nearest instruction of its block that has one, or else its
// function's.
func ReportPos(instr ssa.Instruction) token.Pos {
	if p := Pos(instr); p.IsValid() {
		return p
	}
	if b := instr.Block(); b != nil {
		i := slices.Index(b.Instrs, instr)
		for d := 1; i >= 0 && (i+d < len(b.Instrs) || i-d >= 0); d++ {
			for _, j := range []int{i + d, i - d} {
				if j >= 0 && j < len(b.Instrs) {
					if p := b.Instrs[j].Pos(); p.IsValid() {
						return p
					}
				}
			}
		}
	}
	if fn := instr.Parent(); fn != nil {
		return fn.Pos()
	}
	return token.NoPos
}

// yieldPos returns the range keyword's position for the call of an
// iterator with a range-over-func loop's body.
func yieldPos(instr ssa.Instruction) token.Pos {
	c, ok := instr.(ssa.CallInstruction)
	if !ok {
		return token.NoPos
	}
	for _, a := range c.Common().Args {
		mc, ok := a.(*ssa.MakeClosure)
		if !ok {
			continue
		}
		if f, ok := mc.Fn.(*ssa.Function); ok && f.Synthetic == "range-over-func yield" {
			if rs, ok := f.Syntax().(*ast.RangeStmt); ok {
				return rs.Range
			}
		}
	}
	return token.NoPos
}

// HasUses reports whether v is used by anything but debug information.
func HasUses(v ssa.Value) bool {
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		if _, ok := r.(*ssa.DebugRef); !ok {
			return true
		}
	}
	return false
}
