// Package gclplugin is syncvet's golangci-lint v2 module plugin. A
// custom golangci-lint built with it (by `golangci-lint custom`, or by
// hand, see the README) runs every syncvet check as the linter
// "syncvet", with //syncvet:ignore and //nolint:syncvet honoured.
//
// Settings, under linters.settings.custom.syncvet.settings:
//
//	enable:  [lockorder, copylocks]   # run only these checks (default: all but SA2000-SA2003,
//	                                  # which waitgroup, overlock, testinggoroutine and lockorder
//	                                  # cover; enable them by name)
//	disable: [loopclosure]            # run all but these
//	options:                          # per-check flags, as `syncvet help NAME` lists them
//	  lockorder:
//	    some-flag: value
//
// Any other key, an unknown check or an unknown flag is an error.
package gclplugin

import (
	"flag"
	"fmt"
	"sort"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/syncvet/syncvet/analyzers"
)

// Name is the linter name the plugin registers, as used in .golangci.yml,
// .custom-gcl.yml and //nolint:syncvet.
const Name = "syncvet"

func init() {
	register.Plugin(Name, New)
}

// Settings are the plugin's settings in .golangci.yml.
type Settings struct {
	// Enable names the checks to run; empty means all of them except
	// analyzers.OffByDefault, which run only when named here.
	Enable []string `json:"enable"`
	// Disable names checks not to run.
	Disable []string `json:"disable"`
	// Options sets each named check's flags: check name to flag name to
	// value (string, number or boolean).
	Options map[string]map[string]any `json:"options"`
}

// Plugin is the golangci-lint linter plugin.
type Plugin struct {
	settings Settings
}

// New decodes the settings and returns the plugin; unknown keys are an
// error.
func New(conf any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](conf)
	if err != nil {
		return nil, fmt.Errorf("syncvet settings: %w", err)
	}
	return &Plugin{settings: s}, nil
}

// BuildAnalyzers returns the checks the settings select, from
// analyzers.All(), with their flags set.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return Select(analyzers.All(), p.settings)
}

// GetLoadMode reports that the checks need type information.
func (p *Plugin) GetLoadMode() string {
	return register.LoadModeTypesInfo
}

// Select returns the checks of all that s enables and sets the flags s
// gives them. It is an error to name a check that all lacks, or a flag
// that a check lacks.
func Select(all []*analysis.Analyzer, s Settings) ([]*analysis.Analyzer, error) {
	byName := make(map[string]*analysis.Analyzer, len(all))
	for _, a := range all {
		byName[a.Name] = a
	}
	lookup := func(field, name string) (*analysis.Analyzer, error) {
		if a, ok := byName[name]; ok {
			return a, nil
		}
		for _, a := range all {
			if strings.EqualFold(a.Name, name) {
				return a, nil
			}
		}
		return nil, fmt.Errorf("syncvet settings: %s names unknown check %q (known: %s)", field, name, names(all))
	}

	on := make(map[*analysis.Analyzer]bool)
	if len(s.Enable) == 0 {
		for _, a := range all {
			if _, off := analyzers.OffByDefault[a.Name]; !off {
				on[a] = true
			}
		}
	}
	for _, n := range s.Enable {
		a, err := lookup("enable", n)
		if err != nil {
			return nil, err
		}
		on[a] = true
	}
	for _, n := range s.Disable {
		a, err := lookup("disable", n)
		if err != nil {
			return nil, err
		}
		delete(on, a)
	}

	for _, n := range sortedKeys(s.Options) {
		a, err := lookup("options", n)
		if err != nil {
			return nil, err
		}
		for _, fn := range sortedKeys(s.Options[n]) {
			f := a.Flags.Lookup(fn)
			if f == nil {
				return nil, fmt.Errorf("syncvet settings: check %s has no option %q%s", a.Name, fn, flagList(a))
			}
			v, err := flagValue(s.Options[n][fn])
			if err != nil {
				return nil, fmt.Errorf("syncvet settings: option %s.%s: %w", a.Name, fn, err)
			}
			if err := f.Value.Set(v); err != nil {
				return nil, fmt.Errorf("syncvet settings: option %s.%s: %w", a.Name, fn, err)
			}
		}
	}

	var out []*analysis.Analyzer
	for _, a := range all {
		if on[a] {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("syncvet settings: no check is enabled")
	}
	return out, nil
}

// flagValue renders a YAML scalar as a flag value.
func flagValue(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case bool, float64, int, int64:
		return fmt.Sprint(v), nil
	}
	return "", fmt.Errorf("want a string, number or boolean, got %T", v)
}

func names(as []*analysis.Analyzer) string {
	var ns []string
	for _, a := range as {
		ns = append(ns, a.Name)
	}
	return strings.Join(ns, ", ")
}

func flagList(a *analysis.Analyzer) string {
	var fs []string
	a.Flags.VisitAll(func(f *flag.Flag) { fs = append(fs, f.Name) })
	if len(fs) == 0 {
		return " (it has none)"
	}
	return " (it has: " + strings.Join(fs, ", ") + ")"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
