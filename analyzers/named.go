package analyzers

import (
	"fmt"

	"golang.org/x/tools/go/analysis"
)

// Named returns the check called name from All(), wrapped as All() wraps
// it, for drivers that take one analyzer per package (Bazel's nogo). It
// panics if there is no such check.
func Named(name string) *analysis.Analyzer {
	for _, a := range All() {
		if a.Name == name {
			return a
		}
	}
	panic(fmt.Sprintf("syncvet: no check named %q in analyzers.All()", name))
}
