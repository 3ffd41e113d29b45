package perkey // want package:`edges\(.*\)`

// Per-key locks kept in a map or slice field: each element is its own
// lock, but all elements of one field share a class.

import "sync"

type Locks struct {
	sync.RWMutex
	byName map[string]*sync.Mutex
}

// LockName returns holding the lock of name; the table lock is released.
func (l *Locks) LockName(name string) {
	l.Lock()
	if l.byName[name] == nil {
		l.byName[name] = new(sync.Mutex)
	}
	l.byName[name].Lock() // want `lock order inversion: Locks.byName\[\] acquired while holding Locks.RWMutex; fetch acquires them in the other order`
	l.Unlock()
}

func (l *Locks) UnlockName(name string) {
	l.RLock()
	defer l.RUnlock()
	if mu, ok := l.byName[name]; ok {
		mu.Unlock()
	}
}

var table = &Locks{byName: map[string]*sync.Mutex{}}

// BAD: the deferred Unlock read-locks the table while the name lock is
// held; a Lock of the same name holds the table and waits for it.
func fetch(name string) {
	table.LockName(name)
	defer func() { table.UnlockName(name) }()
}

type Shards struct {
	mu    sync.Mutex
	locks []sync.Mutex
	n     int
}

// GOOD: the shard lock is always taken inside s.mu, never around it.
func (s *Shards) Bump(i int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.locks[i].Lock()
	s.n++
	s.locks[i].Unlock()
}

func (s *Shards) Read(i int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.locks[i].Lock()
	defer s.locks[i].Unlock()
	return s.n
}
