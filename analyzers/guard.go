package analyzers

import (
	"fmt"
	"runtime/debug"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// guard returns a copy of a whose Run turns a panic into an error naming
// the analyzer and the package, so that one broken check costs one
// package's result for that check and never the whole run, and whose
// findings obey //syncvet:ignore directives (see suppress). Only root
// analyzers are copied: nothing Requires them, so the copy is safe.
func guard(a *analysis.Analyzer) *analysis.Analyzer {
	c := *a
	run := a.Run
	c.Run = func(pass *analysis.Pass) (res any, err error) {
		defer func() {
			if r := recover(); r != nil {
				res, err = nil, fmt.Errorf("internal error in %s on package %s: %v%s",
					a.Name, pass.Pkg.Path(), r, panicSite(debug.Stack()))
			}
		}()
		suppress(pass, a.Name)
		return run(pass)
	}
	return &c
}

// panicSite returns " (at file:line)" for the frame that panicked, taken
// from a debug.Stack() trace, or "" when it cannot be found.
func panicSite(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "panic(") && i+3 < len(lines) {
			// panic(...) / its file line / the panicking function / its file line
			loc := strings.TrimSpace(lines[i+3])
			if j := strings.LastIndex(loc, " +0x"); j >= 0 {
				loc = loc[:j]
			}
			return " (at " + loc + ")"
		}
	}
	return ""
}
