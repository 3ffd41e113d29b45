package main

import (
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/syncvet/syncvet/analyzers"
)

// selectChecks applies the checks' enable flags of a unit's arguments
// itself and returns the checks that run on the unit and the arguments
// without those flags. It keeps unitchecker's rules (naming a check with
// -NAME or -NAME=true runs only the named ones; -NAME=false turns one
// off) and adds one: a check of analyzers.OffByDefault runs only when
// named. Selecting here rather than in unitchecker lets the facts-only
// trimming and the profiler see exactly the checks that run. Calls that
// are not a unit's (-V=full, -flags) get all the checks unchanged, so
// that go vet accepts every check's flag.
func selectChecks(all []*analysis.Analyzer, args []string) ([]*analysis.Analyzer, []string) {
	if len(args) == 0 || !strings.HasSuffix(args[len(args)-1], ".cfg") {
		return all, args
	}
	byName := map[string]bool{}
	for _, a := range all {
		byName[a.Name] = true
	}
	on := map[string]bool{}
	set := map[string]bool{}
	var rest []string
	for i, arg := range args {
		if i < len(args)-1 && strings.HasPrefix(arg, "-") {
			name, val, hasVal := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(arg, "-"), "-"), "=")
			v, err := true, error(nil)
			if hasVal {
				v, err = strconv.ParseBool(val)
			}
			if byName[name] && err == nil {
				set[name], on[name] = true, v
				continue
			}
		}
		rest = append(rest, arg)
	}
	anyTrue := false
	for _, v := range on {
		anyTrue = anyTrue || v
	}
	var out []*analysis.Analyzer
	for _, a := range all {
		_, offByDefault := analyzers.OffByDefault[a.Name]
		switch {
		case anyTrue && on[a.Name],
			!anyTrue && !(set[a.Name] && !on[a.Name]) && !offByDefault:
			out = append(out, a)
		}
	}
	return out, rest
}
