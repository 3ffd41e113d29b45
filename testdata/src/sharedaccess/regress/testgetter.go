package regress

import "sync"

// A registry whose guarded map an unexported accessor hands out. The
// tests use it to look inside; the package itself only calls lookupOf,
// which hands the map out too.
type providerRegistry struct {
	mu    sync.RWMutex
	named map[string]int // want named:"guarded\\(mu\\)"
}

func (r *providerRegistry) Set(name string, v int) { // want Set:"accesses\\(r 0\\.named \\[\\(\\*regress\\.providerRegistry\\)\\.mu\\]; w 0\\.named\\{\\} \\[\\(\\*regress\\.providerRegistry\\)\\.mu\\]\\)"
	r.mu.Lock()
	defer r.mu.Unlock()
	r.named[name] = v
}

// inspectRegistry is called by tests only.
func inspectRegistry(r *providerRegistry) map[string]int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.named // ok: only tests call it
}

// lookupOf is called by the package's own code.
func (r *providerRegistry) lookupOf() map[string]int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.named // want `r\.named escapes its critical section: \(\*providerRegistry\)\.lookupOf returns the map guarded by r\.mu, which \(\*providerRegistry\)\.Set writes holding it`
}

func (r *providerRegistry) Count() int { // want Count:"accesses\\(r 0\\.named \\[\\(\\*regress\\.providerRegistry\\)\\.mu\\]\\)"
	return len(r.lookupOf())
}
