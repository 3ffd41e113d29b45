// Package names renders functions for syncvet's messages, in Go syntax
// and the same way in every check.
package names

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Func names fn in Go syntax as a message shows it: "run",
// "(*Cache).Get", or "the function literal in run". Instances of a
// generic function are named by their origin.
func Func(fn *ssa.Function) string {
	if fn.Parent() != nil {
		return "the function literal in " + Func(fn.Parent())
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if recv := fn.Signature.Recv(); recv != nil {
		t := recv.Type()
		ptr := ""
		if p, ok := t.(*types.Pointer); ok {
			ptr, t = "*", p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			return "(" + ptr + n.Obj().Name() + ")." + fn.Name()
		}
		return "(" + ptr + types.TypeString(t, nil) + ")." + fn.Name()
	}
	return fn.Name()
}

// List joins words as English prose: "a", "a and b", "a, b and c".
func List(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// Plural returns one when n is 1 and many otherwise: "1 cycle",
// "3 cycles".
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
