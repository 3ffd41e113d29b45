package deadlock

import "sync"

// BadRegistry assigns ids to names. Register holds mu and calls Len,
// which takes mu again: sync.Mutex is not reentrant, so the first
// Register of a new name blocks forever on its own lock.
type BadRegistry struct {
	mu  sync.Mutex
	ids map[string]int
}

// NewBadRegistry returns an empty registry.
func NewBadRegistry() *BadRegistry { return &BadRegistry{ids: make(map[string]int)} }

// Len returns the number of registered names.
func (r *BadRegistry) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.ids)
}

// Register returns the id of name, assigning the next one if it is new.
func (r *BadRegistry) Register(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if id, ok := r.ids[name]; ok {
		return id
	}
	id := r.Len()
	r.ids[name] = id
	return id
}

// GoodRegistry splits Len into the exported method, which locks, and
// len, which expects mu held; Register calls the latter.
type GoodRegistry struct {
	mu  sync.Mutex
	ids map[string]int
}

// NewGoodRegistry returns an empty registry.
func NewGoodRegistry() *GoodRegistry { return &GoodRegistry{ids: make(map[string]int)} }

// Len returns the number of registered names.
func (r *GoodRegistry) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.len()
}

// len returns the number of registered names; r.mu must be held.
func (r *GoodRegistry) len() int { return len(r.ids) }

// Register returns the id of name, assigning the next one if it is new.
func (r *GoodRegistry) Register(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if id, ok := r.ids[name]; ok {
		return id
	}
	id := r.len()
	r.ids[name] = id
	return id
}
