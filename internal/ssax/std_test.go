package ssax_test

import (
	"testing"

	"github.com/syncvet/syncvet/internal/ssax"
)

func TestIsStd(t *testing.T) {
	for path, want := range map[string]bool{
		"sync":                        true,
		"sync/atomic":                 true,
		"internal/poll":               true,
		"arena":                       true,
		"simd/archsimd":               true,
		"builtin":                     true,
		"vendor/golang.org/x/net/dns": true,
		"golang.org/x/sync/errgroup":  false,
		"github.com/syncvet/syncvet":  false,
		"example.com/sync":            false,
		"syncx":                       false,
	} {
		if got := ssax.IsStd(path); got != want {
			t.Errorf("IsStd(%q) = %v, want %v", path, got, want)
		}
	}
}
