package stale

import (
	"context"
	"sync"
)

// Crew's callbacks lock p.mu; the bad ones forget to unlock it on the
// early return.
type Crew struct {
	mu   sync.Mutex
	done bool
	n    int
}

// BAD: the WaitGroup's goroutine may return with p.mu held.
func (p *Crew) Run(wg *sync.WaitGroup) {
	wg.Go(func() { // want `lock never released: the \(\*sync.WaitGroup\).Go callback may return holding p.mu`
		p.mu.Lock()
		if p.done {
			return
		}
		p.n++
		p.mu.Unlock()
	})
}

// GOOD: every path of the goroutine unlocks.
func (p *Crew) RunOK(wg *sync.WaitGroup) {
	wg.Go(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.n++
	})
}

// BAD: the context.AfterFunc callback may return with p.mu held.
func (p *Crew) OnCancel(ctx context.Context) {
	context.AfterFunc(ctx, func() { // want `lock never released: the context.AfterFunc callback may return holding p.mu`
		p.mu.Lock()
		if p.done {
			return
		}
		p.done = true
		p.mu.Unlock()
	})
}

// GOOD: every path of the callback unlocks.
func (p *Crew) OnCancelOK(ctx context.Context) {
	context.AfterFunc(ctx, func() {
		p.mu.Lock()
		p.done = true
		p.mu.Unlock()
	})
}
