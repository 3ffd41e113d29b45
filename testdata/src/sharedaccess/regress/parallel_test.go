package regress

import "testing"

// A parallel subtest's code before t.Parallel runs inside t.Run while
// its parent waits, and the rest runs only once the parent's function
// has returned: neither races with the parent.
func TestParallelAfterParent(t *testing.T) {
	limit := 1
	for _, n := range []int{1, 2, 3} {
		t.Run("case", func(t *testing.T) {
			max := limit // a copy taken before t.Parallel
			t.Parallel()
			if n > max {
				t.Log(n)
			}
		})
		limit = n // after t.Run returns: the subtest is parked or done
	}
}

// Sibling parallel subtests run beside each other.
func TestParallelSiblings(t *testing.T) {
	total := 0
	for _, n := range []int{1, 2, 3} {
		t.Run("case", func(t *testing.T) {
			t.Parallel()
			total += n // want `unsynchronized write to total: goroutines running TestParallelSiblings\.func1 may run at once and each writes total`
		})
	}
}
