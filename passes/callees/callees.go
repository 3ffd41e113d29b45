// Package callees resolves, inside one package, the calls that have no
// static callee: interface method calls whose receiver's dynamic type
// the package determines or whose interface only one type of the
// package implements, and calls of function values that flow from the
// package's functions and closures through struct fields and
// parameters. It is the one callee resolver: lockset and sharedaccess
// both ask it.
package callees

import (
	"go/token"
	"go/types"
	"reflect"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/panicguard"
)

// Analyzer computes a *Result for the package; it reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:       "callees",
	Doc:        "resolve calls without a static callee: sole implementations of closed interfaces and function values that flow through fields and parameters",
	URL:        "https://pkg.go.dev/github.com/syncvet/syncvet/passes/callees",
	Requires:   []*analysis.Analyzer{buildssa.Analyzer},
	Run:        panicguard.Wrap("callees", run),
	ResultType: reflect.TypeOf(new(Result)),
}

// Result answers callee questions for one package. The resolver is
// built on the first question (packages that never ask pay nothing);
// every method is safe for concurrent use by the analyzers that share
// the Result.
type Result struct {
	pass *analysis.Pass
	ssa  *buildssa.SSA
	once sync.Once
	d    *dynamic
}

func run(pass *analysis.Pass) (any, error) {
	return &Result{pass: pass, ssa: pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)}, nil
}

func (r *Result) build() *dynamic {
	r.once.Do(func() {
		r.d = newDynamic(r.pass.Pkg, r.pass.Fset, r.ssa.Pkg.Prog, r.ssa.SrcFuncs)
	})
	return r.d
}

// Callees returns the functions that a call without a static callee may
// reach (at most a few; none when unknown), and whether it is an
// interface call with one implementation, whose receiver is
// call.Common().Value. A call outside the package's tests does not
// reach the tests' functions.
func (r *Result) Callees(call ssa.CallInstruction) ([]*ssa.Function, bool) {
	if r == nil {
		return nil, false
	}
	fns, invoke := r.build().callees(call.Common())
	if len(fns) == 0 || call.Parent() == nil || r.inTest(call.Parent().Pos()) {
		return fns, invoke
	}
	// A test's function values flow into the package's own call sites
	// only in the test binary: the package's code is not judged by
	// them.
	var out []*ssa.Function
	for _, f := range fns {
		if !r.inTest(f.Pos()) {
			out = append(out, f)
		}
	}
	return out, invoke && len(out) == len(fns)
}

// inTest reports whether pos lies in a _test.go file.
func (r *Result) inTest(pos token.Pos) bool {
	f := r.pass.Fset.File(pos)
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
}

// SoleImpl returns the one type of the package (T or *T) that
// implements the closed interface t (see ClosedInterface), not counting
// types that only forward to an embedded interface, or nil.
func (r *Result) SoleImpl(t types.Type) types.Type {
	n, ok := types.Unalias(t).(*types.Named)
	if r == nil || !ok {
		return nil
	}
	impls := r.build().impls[n]
	if len(impls) != 1 {
		return nil
	}
	return impls[0]
}
