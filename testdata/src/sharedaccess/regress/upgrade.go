package regress

import "sync"

// A write made after asking for the write side of the read lock the
// function holds: the upgrade deadlocks there (lockorder's finding),
// and the write is not a second finding of the same mistake.
type upResolver struct {
	mu    sync.RWMutex
	cache map[string]string
}

// GOOD for sharedaccess (lockorder reports the upgrade).
func (r *upResolver) resolve(host string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if ip, ok := r.cache[host]; ok {
		return ip
	}
	ip := "10.0.0.1"
	r.mu.Lock()
	r.cache[host] = ip
	r.mu.Unlock()
	return ip
}

type upCache struct {
	mu    sync.RWMutex
	cache map[string]string
}

// BAD: the write holds only the read lock.
func (r *upCache) remember(host, ip string) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	r.cache[host] = ip // want `unsynchronized write to r.cache: \(\*upCache\).remember writes it holding only the read lock r.mu`
}

func (r *upCache) lookup(host string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.cache[host]
}
