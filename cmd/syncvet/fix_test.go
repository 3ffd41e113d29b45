package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFix checks that suggested fixes are applied by syncvet -fix and by
// go vet -vettool=syncvet -fix alike, that a finding silenced by
// //syncvet:ignore is not fixed, and that -fix -diff only prints.
func TestFix(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "fix", "cache.go"))
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "fix", "cache.go.golden"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		vet  bool
	}{{"syncvet -fix", false}, {"go vet -fix", true}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeModule(t, map[string]string{"cache/cache.go": string(src)})
			out, stderr, code := run(t, dir, tc.vet, "-fix", "./...")
			if code != 0 {
				t.Errorf("exit code %d; stdout:\n%s\nstderr:\n%s", code, out, stderr)
			}
			got, err := os.ReadFile(filepath.Join(dir, "cache", "cache.go"))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(golden) {
				t.Errorf("fixed file differs from testdata/fix/cache.go.golden:\n%s", got)
			}
		})
	}
	t.Run("syncvet -fix -diff", func(t *testing.T) {
		dir := writeModule(t, map[string]string{"cache/cache.go": string(src)})
		out, stderr, _ := run(t, dir, false, "-fix", "-diff", "./...")
		if !strings.Contains(out, "+\t\tc.mu.Unlock()") {
			t.Errorf("-diff should print the fix; stdout:\n%s\nstderr:\n%s", out, stderr)
		}
		got, _ := os.ReadFile(filepath.Join(dir, "cache", "cache.go"))
		if string(got) != string(src) {
			t.Errorf("-fix -diff rewrote the file")
		}
	})
}
