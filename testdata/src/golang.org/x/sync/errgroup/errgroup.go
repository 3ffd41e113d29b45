// Package errgroup is a minimal stand-in for golang.org/x/sync/errgroup
// used by the fixtures.
package errgroup

import (
	"context"
	"sync"
)

type token struct{}

type Group struct {
	sem    chan token // nil unless SetLimit: Go then waits for a slot
	wg     sync.WaitGroup
	err    error
	mu     sync.Mutex
	cancel func()
}

// WithContext returns a group whose context ends at the first error.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &Group{cancel: cancel}, ctx
}

func (g *Group) Go(f func() error) {
	if g.sem != nil {
		g.sem <- token{}
	}
	g.wg.Add(1)
	go func() {
		defer func() {
			if g.sem != nil {
				<-g.sem
			}
		}()
		defer g.wg.Done()
		if err := f(); err != nil {
			g.mu.Lock()
			if g.err == nil {
				g.err = err
				if g.cancel != nil {
					g.cancel()
				}
			}
			g.mu.Unlock()
		}
	}()
}

func (g *Group) TryGo(f func() error) bool { g.Go(f); return true }

// SetLimit limits the group to n goroutines at once.
func (g *Group) SetLimit(n int) { g.sem = make(chan token, n) }

func (g *Group) Wait() error {
	g.wg.Wait()
	return g.err
}
