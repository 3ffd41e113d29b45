// Package panicguard turns a panic inside an analysis into an error, the
// one guard that every pass and analyzer of syncvet runs under: one
// broken check on odd code costs that package's result for that check,
// never the whole run.
package panicguard

import (
	"fmt"
	"runtime/debug"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Wrap returns run guarded: a panic becomes an error naming the
// analysis, the package and the place that panicked.
func Wrap(name string, run func(*analysis.Pass) (any, error)) func(*analysis.Pass) (any, error) {
	return func(pass *analysis.Pass) (res any, err error) {
		defer func() {
			if r := recover(); r != nil {
				res, err = nil, fmt.Errorf("internal error in %s on package %s: %v%s",
					name, pass.Pkg.Path(), r, Site(debug.Stack()))
			}
		}()
		return run(pass)
	}
}

// Site returns " (at file:line)" for the frame that panicked, taken
// from a debug.Stack() trace, or "" when it cannot be found.
func Site(stack []byte) string {
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
