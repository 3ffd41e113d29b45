// Package names renders functions for syncvet's messages, in Go syntax
// and the same way in every check.
package names

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Func names fn in Go syntax as a message shows it, without package
// names: "run", "(*Cache).Get", "(Cache).Size", "(*Grove[T]).Put", and
// a function literal as Go's stack traces do, "(*Cache).Get.func1".
// Instances of a generic function are named by their origin.
func Func(fn *ssa.Function) string {
	return Qualified(fn, func(*types.Package) string { return "" })
}

// ByPackageName qualifies names by package name: "bank.Run".
func ByPackageName(p *types.Package) string { return p.Name() }

// Qualified names fn as Func does, with package names given by qual
// (ByPackageName, types.RelativeTo, ...): "(*bank.Bank).lock",
// "bank.Run.func1". It is the one renderer of functions: messages,
// call chains and facts all name functions through it.
func Qualified(fn *ssa.Function, qual types.Qualifier) string {
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if p := fn.Parent(); p != nil {
		name := fn.Name()
		if i := strings.LastIndexByte(name, '$'); i >= 0 {
			name = name[i+1:]
		}
		return Qualified(p, qual) + ".func" + name
	}
	if recv := fn.Signature.Recv(); recv != nil {
		return "(" + Recv(recv.Type(), qual) + ")." + fn.Name()
	}
	if obj := fn.Object(); obj != nil && obj.Pkg() != nil {
		if q := qual(obj.Pkg()); q != "" {
			return q + "." + fn.Name()
		}
	} else if fn.Pkg != nil {
		if q := qual(fn.Pkg.Pkg); q != "" {
			return q + "." + fn.Name()
		}
	}
	return fn.Name()
}

// Recv renders a receiver type in Go syntax: a generic type by its
// parameters' names, *Grove[T], never with their constraints or the
// arguments of an instance.
func Recv(t types.Type, qual types.Qualifier) string {
	if p, ok := t.(*types.Pointer); ok {
		return "*" + Recv(p.Elem(), qual)
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return types.TypeString(t, qual)
	}
	n = n.Origin()
	name := n.Obj().Name()
	if n.Obj().Pkg() != nil {
		if q := qual(n.Obj().Pkg()); q != "" {
			name = q + "." + name
		}
	}
	if n.TypeParams().Len() == 0 {
		return name
	}
	params := make([]string, n.TypeParams().Len())
	for i := range params {
		params[i] = n.TypeParams().At(i).Obj().Name()
	}
	return name + "[" + strings.Join(params, ", ") + "]"
}

// Chain renders a call chain, outermost first: "a → b → c".
func Chain(frames []string) string { return strings.Join(frames, " → ") }

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
