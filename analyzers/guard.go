package analyzers

import (
	"golang.org/x/tools/go/analysis"

	"github.com/syncvet/syncvet/internal/panicguard"
)

// guard returns a copy of a whose Run turns a panic into an error naming
// the analyzer and the package, so that one broken check costs one
// package's result for that check and never the whole run, and whose
// findings obey //syncvet:ignore directives (see suppress). Only root
// analyzers are copied: nothing Requires them, so the copy is safe.
func guard(a *analysis.Analyzer) *analysis.Analyzer {
	c := *a
	run := a.Run
	c.Run = panicguard.Wrap(a.Name, func(pass *analysis.Pass) (any, error) {
		suppress(pass, a.Name)
		return run(pass)
	})
	return &c
}
