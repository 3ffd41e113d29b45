package generics

import "sync"

type Box[T any] struct {
	mu sync.Mutex
	v  T
}

func (b *Box[T]) lock() { // want lock:`acquires\(0.mu\)`
	b.mu.Lock()
}

func (b *Box[T]) Set(v T) { // want Set:`takes\(0.mu\)$`
	b.lock()
	defer b.mu.Unlock()
	b.v = v
}

func Lock[M interface{ *sync.Mutex }](m M) { // want Lock:`acquires\(0\)`
	(*sync.Mutex)(m).Lock()
}

func With[T any](b *Box[T], f func()) { // want With:`takes\(0.mu\)$`
	b.mu.Lock()
	defer b.mu.Unlock()
	f()
}

func Use(b *Box[int], o *Box[string]) { // want Use:`takes\(0.mu, 1.mu\) edges\(0.mu->1.mu\)`
	b.lock()
	o.Set("x")
	b.mu.Unlock()
}
