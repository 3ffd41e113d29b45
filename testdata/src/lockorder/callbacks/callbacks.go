// Package callbacks: a function value handed to a function that calls it
// while holding a lock, when the function value takes that same lock
// again (through what it captures, or a bound method's receiver).
package callbacks

import "sync"

type Index struct {
	mu     sync.Mutex
	byName map[string]int
}

func (x *Index) Lookup(n string) (int, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	id, ok := x.byName[n]
	return id, ok
}

// Range calls fn with x.mu held.
func (x *Index) Range(fn func(string, int) bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for n, id := range x.byName {
		if !fn(n, id) {
			return
		}
	}
}

func (x *Index) drop(n string, _ int) bool {
	x.mu.Lock()
	delete(x.byName, n)
	x.mu.Unlock()
	return true
}

// BAD: the callback calls Lookup, which locks x.mu again.
func Orphans(x *Index) []string {
	var out []string
	x.Range(func(name string, id int) bool { // want `double lock: Orphans.func1, called by \(\*Index\)\.Range while it holds x\.mu, locks it again \(via \(\*callbacks\.Index\)\.Lookup\)`
		if _, ok := x.Lookup(name + "/.."); !ok {
			out = append(out, name)
		}
		return true
	})
	return out
}

// BAD: a method value of the same object as the callback.
func (x *Index) Clear() {
	x.Range(x.drop) // want `double lock: \(\*Index\)\.drop, called by \(\*Index\)\.Range while it holds x\.mu, locks it again`
}

// GOOD: the callback reads what it is handed, under the lock Range holds.
func Names(x *Index) []string {
	var out []string
	x.Range(func(name string, id int) bool {
		out = append(out, name)
		return true
	})
	return out
}

// GOOD: the callback locks another index.
func Missing(x, y *Index) []string {
	var out []string
	x.Range(func(name string, id int) bool {
		if _, ok := y.Lookup(name); !ok {
			out = append(out, name)
		}
		return true
	})
	return out
}

// GOOD: the callee calls the callback after it unlocks.
func (x *Index) Each(fn func(string)) {
	x.mu.Lock()
	names := make([]string, 0, len(x.byName))
	for n := range x.byName {
		names = append(names, n)
	}
	x.mu.Unlock()
	for _, n := range names {
		fn(n)
	}
}

func Touch(x *Index) {
	x.Each(func(n string) { x.Lookup(n) })
}

type Table struct {
	mu   sync.RWMutex
	rows map[string]int
}

func (t *Table) Get(k string) int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.rows[k]
}

// All yields with t.mu read-locked.
func (t *Table) All(yield func(string, int) bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	for k, v := range t.rows {
		if !yield(k, v) {
			return
		}
	}
}

func (t *Table) Delete(k string) {
	t.mu.Lock()
	delete(t.rows, k)
	t.mu.Unlock()
}

// BAD: the loop body read-locks the table again; a writer queued in
// between blocks both.
func Sum(t *Table) int {
	n := 0
	for k := range t.All { // want `recursive read lock: the body of the range loop in Sum, called by \(\*Table\)\.All while it read-locks t\.mu, read-locks it again \(via \(\*callbacks\.Table\)\.Get\)`
		n += t.Get(k)
	}
	return n
}

// BAD: the loop body write-locks what the iterator holds read-locked.
func Prune(t *Table) {
	for k, v := range t.All { // want `lock upgrade deadlock: the body of the range loop in Prune, called by \(\*Table\)\.All while it read-locks t\.mu, locks it for writing \(via \(\*callbacks\.Table\)\.Delete\)`
		if v == 0 {
			t.Delete(k)
		}
	}
}

// GOOD: the loop body uses the values it is handed.
func Total(t *Table) int {
	n := 0
	for _, v := range t.All {
		n += v
	}
	return n
}

// Guarded is generic: the callee's body is its origin's.
type Guarded[T any] struct {
	mu sync.Mutex
	v  T
}

func (g *Guarded[T]) Do(fn func(*T)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	fn(&g.v)
}

func (g *Guarded[T]) Load() T {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.v
}

// BAD: the callback loads through the lock Do holds.
func Bump(g *Guarded[int]) {
	g.Do(func(p *int) { // want `double lock: Bump.func1, called by \(\*Guarded\[T\]\)\.Do while it holds g\.mu, locks it again \(via \(\*callbacks\.Guarded\[T\]\)\.Load\)`
		*p = g.Load() + 1
	})
}

// GOOD: the callback uses the pointer it is handed.
func Inc(g *Guarded[int]) {
	g.Do(func(p *int) { *p++ })
}
