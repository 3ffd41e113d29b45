package rangefunc // want package:`edges\(.*\)`

import (
	"maps"
	"sync"
)

// The body of a range-over-func loop runs inside the iterator's call,
// under the locks held at the loop: its own acquisitions come after
// them.

type Outer struct {
	mu    sync.Mutex
	items map[int]bool
	in    *Inner
}

type Inner struct {
	mu    sync.Mutex
	out   *Outer
	total int
}

// Walk holds Outer.mu and takes Inner.mu in the loop's body.
func (o *Outer) Walk() {
	o.mu.Lock()
	defer o.mu.Unlock()
	for k := range maps.Keys(o.items) { // want `lock order inversion: Inner.mu acquired while holding Outer.mu \(via \(\*rangefunc.Outer\).Walk.func1\); \(\*Inner\).Back acquires them in the other order`
		o.in.mu.Lock()
		o.in.total += k
		o.in.mu.Unlock()
	}
}

// Back holds Inner.mu and takes Outer.mu.
func (i *Inner) Back() {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.out.mu.Lock()
	i.out.items = nil
	i.out.mu.Unlock()
}

// A good twin: the keys are taken under Safe.mu, the loop runs after.
type Safe struct {
	mu    sync.Mutex
	items map[int]bool
	in    *SafeInner
}

type SafeInner struct {
	mu    sync.Mutex
	out   *Safe
	total int
}

func (s *Safe) Walk() {
	s.mu.Lock()
	keys := maps.Clone(s.items)
	s.mu.Unlock()
	for k := range maps.Keys(keys) {
		s.in.mu.Lock()
		s.in.total += k
		s.in.mu.Unlock()
	}
}

func (i *SafeInner) Back() {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.out.mu.Lock()
	i.out.items = nil
	i.out.mu.Unlock()
}
