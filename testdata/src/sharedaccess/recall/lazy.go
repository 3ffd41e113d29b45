package recall

import "sync"

type conf struct{ vals map[string]string }

type provider struct {
	cfg *conf
}

func (p *provider) get() *conf {
	if p.cfg == nil {
		p.cfg = &conf{vals: map[string]string{}} // want `unsynchronized write to p\.cfg: goroutines running \(\*provider\)\.get may run at once and each writes p\.cfg`
	}
	return p.cfg
}

// Only ever filled in under the lock when nil: initialised, not
// mutated state, so the lock guards the initialisation only.
type lockedProvider struct {
	mu  sync.Mutex
	cfg *conf
}

func (p *lockedProvider) get() *conf {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cfg == nil {
		p.cfg = &conf{vals: map[string]string{}}
	}
	return p.cfg
}

// Two goroutines can both see nil and both initialise.
func badLazyInstances() {
	p := &provider{}
	for i := 0; i < 4; i++ {
		go p.get()
	}
}

func goodLazyLocked() {
	p := &lockedProvider{}
	for i := 0; i < 4; i++ {
		go p.get()
	}
}
