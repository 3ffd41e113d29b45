package generics // want package:`edges\(\(\*generics.Box\).mu->\(\*generics.Meta\).mu, \(\*generics.Meta\).mu->\(\*generics.Box\).mu, \(\*generics.Pair\).mu->\(\*generics.Side\).mu\)`

import "sync"

type Box[T any] struct {
	mu sync.Mutex
	v  T
}

type Meta struct {
	mu sync.Mutex
	n  int
}

func (b *Box[T]) Set(m *Meta, v T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	m.bump() // want `lock order inversion: Meta.mu acquired while holding Box.mu \(via \(\*generics.Meta\).bump\); \(\*Meta\).Reset acquires them in the other order`
	b.v = v
}

func (m *Meta) bump() {
	m.mu.Lock()
	m.n++
	m.mu.Unlock()
}

func (m *Meta) Reset(b *Box[int]) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b.Set(nil, 0) // instantiation of a generic method: Box.mu taken inside
}

// Double lock through a generic helper.
func With[T any](b *Box[T], f func(T)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	f(b.v)
}

func Nested(b *Box[string]) {
	b.mu.Lock()
	defer b.mu.Unlock()
	With(b, func(string) {}) // want `double lock: generics.With locks b.mu while it is already held`
}

// Clean twin: consistent order for another pair of generic classes.
type Pair[K comparable] struct {
	mu sync.Mutex
	k  K
}

type Side struct{ mu sync.Mutex }

func (p *Pair[K]) A(s *Side) {
	p.mu.Lock()
	s.mu.Lock()
	s.mu.Unlock()
	p.mu.Unlock()
}

func (s *Side) B(p *Pair[int]) {
	p.mu.Lock()
	s.mu.Lock()
	s.mu.Unlock()
	p.mu.Unlock()
}
