// Package cycle does not type-check: a generic type that refers to
// itself instantiated with a larger argument expands for ever, and
// go/types reports an instantiation cycle.
package cycle

import "sync"

// List nests a list of lists of its element type.
type List[T any] struct {
	mu   sync.Mutex
	val  T
	next *List[List[T]]
}

// Len counts the nested lists.
func (l *List[T]) Len() int {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return 1 + l.next.Len()
}
