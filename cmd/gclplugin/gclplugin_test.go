package gclplugin_test

import (
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/syncvet/syncvet/analyzers"
	"github.com/syncvet/syncvet/cmd/gclplugin"
)

// build decodes settings as golangci-lint passes them (YAML decoded into
// maps) and builds the analyzers.
func build(t *testing.T, conf any) ([]*analysis.Analyzer, error) {
	t.Helper()
	newPlugin, err := register.GetPlugin(gclplugin.Name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(conf)
	if err != nil {
		return nil, err
	}
	if p.GetLoadMode() != register.LoadModeTypesInfo {
		t.Errorf("load mode = %q, want %q", p.GetLoadMode(), register.LoadModeTypesInfo)
	}
	return p.BuildAnalyzers()
}

func namesOf(as []*analysis.Analyzer) string {
	var ns []string
	for _, a := range as {
		ns = append(ns, a.Name)
	}
	return strings.Join(ns, ",")
}

func TestDefault(t *testing.T) {
	for _, conf := range []any{nil, map[string]any{}} {
		as, err := build(t, conf)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := namesOf(as), namesOf(analyzers.Default()); got != want {
			t.Errorf("settings %v: checks %s, want the default ones: %s", conf, got, want)
		}
		if got := namesOf(as); strings.Contains(got, "SA200") || !strings.Contains(got, "overlock") || !strings.Contains(got, "lockorder") {
			t.Errorf("settings %v: checks %s, want SA2000-SA2003 off, overlock and lockorder on", conf, got)
		}
	}
	as, err := build(t, map[string]any{"enable": []any{"SA2000", "waitgroup"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := namesOf(as); got != "waitgroup,SA2000" {
		t.Errorf("enable SA2000, waitgroup: checks = %s", got)
	}
}

func TestEnableDisable(t *testing.T) {
	as, err := build(t, map[string]any{"enable": []any{"copylocks", "sa2001", "waitgroup"}, "disable": []any{"waitgroup"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := namesOf(as); got != "copylocks,SA2001" {
		t.Errorf("checks = %s, want copylocks,SA2001", got)
	}
	as, err = build(t, map[string]any{"disable": []any{"copylocks"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := namesOf(as); strings.Contains(got, "copylocks") || len(as) != len(analyzers.Default())-1 {
		t.Errorf("disable copylocks: checks = %s", got)
	}
}

func TestSettingsErrors(t *testing.T) {
	for _, tc := range []struct {
		conf any
		want string
	}{
		{map[string]any{"enabled": []any{"copylocks"}}, `unknown field "enabled"`},
		{map[string]any{"enable": "copylocks"}, "cannot unmarshal"},
		{map[string]any{"enable": []any{"nosuch"}}, `enable names unknown check "nosuch"`},
		{map[string]any{"disable": []any{"nosuch"}}, `disable names unknown check "nosuch"`},
		{map[string]any{"options": map[string]any{"nosuch": map[string]any{"x": 1}}}, `options names unknown check "nosuch"`},
		{map[string]any{"options": map[string]any{"copylocks": map[string]any{"x": 1}}}, `check copylocks has no option "x"`},
		{map[string]any{"enable": []any{"copylocks"}, "disable": []any{"copylocks"}}, "no check is enabled"},
	} {
		_, err := build(t, tc.conf)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("settings %v: error %v, want one containing %q", tc.conf, err, tc.want)
		}
	}
}

func TestOptions(t *testing.T) {
	a := &analysis.Analyzer{Name: "probe", Doc: "probe", Run: func(*analysis.Pass) (any, error) { return nil, nil }}
	limit := a.Flags.Int("limit", 3, "a limit")
	mode := a.Flags.String("mode", "fast", "a mode")
	strict := a.Flags.Bool("strict", false, "be strict")
	s := gclplugin.Settings{Options: map[string]map[string]any{"probe": {"limit": float64(7), "mode": "slow", "strict": true}}}
	as, err := gclplugin.Select([]*analysis.Analyzer{a}, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 1 || *limit != 7 || *mode != "slow" || !*strict {
		t.Errorf("options not applied: %d checks, limit %d, mode %q, strict %v", len(as), *limit, *mode, *strict)
	}
	for _, bad := range []map[string]any{{"limit": "many"}, {"limit": []any{1}}, {"nosuch": 1}} {
		_, err := gclplugin.Select([]*analysis.Analyzer{a}, gclplugin.Settings{Options: map[string]map[string]any{"probe": bad}})
		if err == nil {
			t.Errorf("options %v: no error", bad)
		}
	}
}
