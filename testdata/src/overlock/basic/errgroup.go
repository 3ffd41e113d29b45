package basic

import "golang.org/x/sync/errgroup"

// limited gives its group a limit: Go may wait for a slot.
func limited(n int) *errgroup.Group {
	var g errgroup.Group
	g.SetLimit(n)
	return &g
}
