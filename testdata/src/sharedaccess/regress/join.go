package regress

import "sync"

// Wait reads what the workers wrote under mu after joining them.
type ErrPool struct {
	wg   sync.WaitGroup
	mu   sync.Mutex
	errs []error // want errs:"guarded\\(mu\\)"
}

func (p *ErrPool) Go(f func() error) { // want Go:`accesses\(w 0\.errs \[\(\*regress\.ErrPool\)\.mu\]; r 0\.errs \[\(\*regress\.ErrPool\)\.mu\]; r 0\.errs\[\] \[\(\*regress\.ErrPool\)\.mu\]; done 0\.wg\)`
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		if err := f(); err != nil {
			p.mu.Lock()
			p.errs = append(p.errs, err)
			p.mu.Unlock()
		}
	}()
}

func (p *ErrPool) Wait() []error { // want Wait:`accesses\(r 0\.errs; wait 0\.wg\)`
	p.wg.Wait()
	return p.errs
}

// Peek reads without joining.
func (p *ErrPool) Peek() int { // want Peek:"accesses\\(r 0\\.errs\\)"
	return len(p.errs) // want `unsynchronized read of p.errs: \(\*ErrPool\).Peek reads it without p.mu`
}
