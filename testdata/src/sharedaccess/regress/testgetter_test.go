package regress

import "testing"

func TestProviderRegistry(t *testing.T) {
	r := &providerRegistry{named: map[string]int{}}
	r.Set("a", 1)
	if got := inspectRegistry(r)["a"]; got != 1 {
		t.Fatalf("a = %d", got)
	}
}
