// Package rec has recursive generic types and functions: self- and
// mutually recursive types, F-bounded constraints and mutually recursive
// generic functions, with one lock bug in each group and a correct twin.
package rec

import (
	"cmp"
	"sync"
)

// Tree is a binary search tree whose nodes each guard their own entry.
type Tree[K cmp.Ordered, V any] struct {
	mu          sync.Mutex
	key         K
	val         V
	left, right *Tree[K, V]
}

// Get walks down the tree, holding one node's lock at a time.
func (t *Tree[K, V]) Get(k K) (V, bool) {
	if t == nil {
		var zero V
		return zero, false
	}
	t.mu.Lock()
	switch {
	case k < t.key:
		next := t.left
		t.mu.Unlock()
		return next.Get(k)
	case k > t.key:
		next := t.right
		t.mu.Unlock()
		return next.Get(k)
	}
	v := t.val
	t.mu.Unlock()
	return v, true
}

// Forest and Grove are mutually recursive generic types.
type Forest[T any] struct {
	mu    sync.Mutex
	trees []*Grove[T]
	size  int
}

// Grove points back at the Forest that holds it.
type Grove[T any] struct {
	mu     sync.Mutex
	owner  *Forest[T]
	leaves []T
}

// Add locks the forest, then the grove.
func (f *Forest[T]) Add(g *Grove[T], v T) {
	f.mu.Lock()
	defer f.mu.Unlock()
	g.mu.Lock()
	g.leaves = append(g.leaves, v)
	g.mu.Unlock()
	f.size++
}

// Prune locks the grove, then its forest: the other order from Add.
func (g *Grove[T]) Prune() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.leaves = nil
	g.owner.mu.Lock()
	g.owner.size--
	g.owner.mu.Unlock()
}

// PruneOK takes the locks in Add's order.
func (g *Grove[T]) PruneOK() {
	g.owner.mu.Lock()
	defer g.owner.mu.Unlock()
	g.mu.Lock()
	g.leaves = nil
	g.mu.Unlock()
	g.owner.size--
}

// Lesser is an F-bounded constraint: T compares with itself.
type Lesser[T any] interface {
	Less(T) bool
}

// Sort sorts xs by quicksort, recursing on both halves in goroutines.
func Sort[T Lesser[T]](xs []T) {
	if len(xs) < 2 {
		return
	}
	p := 0
	for i := 1; i < len(xs); i++ {
		if xs[i].Less(xs[0]) {
			p++
			xs[p], xs[i] = xs[i], xs[p]
		}
	}
	xs[0], xs[p] = xs[p], xs[0]
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); Sort(xs[:p]) }()
	go func() { defer wg.Done(); Sort(xs[p+1:]) }()
	wg.Wait()
}

// Counter counts visits under mu.
type Counter[T any] struct {
	mu   sync.Mutex
	seen map[int]T
}

// Ping and Pong are mutually recursive. Ping calls Pong holding c.mu,
// and Pong calls Ping, which locks c.mu again: a self-deadlock.
func Ping[T any](c *Counter[T], n int, v T) {
	if n == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen[n] = v
	Pong(c, n-1, v)
}

// Pong hands back to Ping.
func Pong[T any](c *Counter[T], n int, v T) {
	if n == 0 {
		return
	}
	Ping(c, n-1, v)
}

// PingOK releases c.mu before recursing.
func PingOK[T any](c *Counter[T], n int, v T) {
	if n == 0 {
		return
	}
	c.mu.Lock()
	c.seen[n] = v
	c.mu.Unlock()
	PongOK(c, n-1, v)
}

// PongOK hands back to PingOK.
func PongOK[T any](c *Counter[T], n int, v T) {
	if n == 0 {
		return
	}
	PingOK(c, n-1, v)
}

// Count counts the nodes of t, recursing into both subtrees in
// goroutines that each add to total with no lock.
func (t *Tree[K, V]) Count() int {
	if t == nil {
		return 0
	}
	total := 1
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); total += t.left.Count() }()
	go func() { defer wg.Done(); total += t.right.Count() }()
	wg.Wait()
	return total
}

// CountOK sends each subtree's count back instead.
func (t *Tree[K, V]) CountOK() int {
	if t == nil {
		return 0
	}
	sub := make(chan int, 2)
	go func() { sub <- t.left.CountOK() }()
	go func() { sub <- t.right.CountOK() }()
	return 1 + <-sub + <-sub
}

// Use instantiates everything at two types.
func Use() {
	var t Tree[string, int]
	t.Get("a")
	var f Forest[int]
	g := &Grove[int]{owner: &f}
	f.Add(g, 1)
	g.Prune()
	g.PruneOK()
	Sort([]byKey{{1}, {0}})
	c := &Counter[string]{seen: map[int]string{}}
	Ping(c, 3, "x")
	PingOK(c, 3, "x")
	t.Count()
	t.CountOK()
}

type byKey struct{ k int }

func (a byKey) Less(b byKey) bool { return a.k < b.k }
