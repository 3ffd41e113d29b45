package panicguard_test

import (
	"go/types"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/syncvet/syncvet/internal/panicguard"
)

func TestWrap(t *testing.T) {
	pass := &analysis.Pass{Pkg: types.NewPackage("example.com/p", "p")}
	run := panicguard.Wrap("check", func(*analysis.Pass) (any, error) {
		var m map[string]int
		m["x"] = 1 // panics: assignment to entry in nil map
		return 1, nil
	})
	res, err := run(pass)
	if res != nil || err == nil {
		t.Fatalf("got %v, %v; want nil and an error", res, err)
	}
	msg := err.Error()
	for _, want := range []string{"internal error in check on package example.com/p", "assignment to entry in nil map", "(at ", "panicguard_test.go:"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
	ok := panicguard.Wrap("check", func(*analysis.Pass) (any, error) { return 2, nil })
	if res, err := ok(pass); res != 2 || err != nil {
		t.Errorf("without a panic got %v, %v; want 2, nil", res, err)
	}
}
