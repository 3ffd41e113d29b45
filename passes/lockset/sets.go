package lockset

import (
	"fmt"
	"go/token"
	"sort"
)

// gen is one acquisition that may still hold a lock: the lock's key and
// the position of the acquiring call.
type gen struct {
	key  string
	site token.Pos
}

func genLess(a, b gen) bool {
	if a.key != b.key {
		return a.key < b.key
	}
	return a.site < b.site
}

func addGen(set []gen, g gen) []gen {
	i := sort.Search(len(set), func(i int) bool { return !genLess(set[i], g) })
	if i < len(set) && set[i] == g {
		return set
	}
	out := make([]gen, 0, len(set)+1)
	out = append(out, set[:i]...)
	out = append(out, g)
	return append(out, set[i:]...)
}

func hasGen(set []gen, g gen) bool {
	i := sort.Search(len(set), func(i int) bool { return !genLess(set[i], g) })
	return i < len(set) && set[i] == g
}

// gensOf returns the acquisitions of key in set.
func gensOf(set []gen, key string) []gen {
	i := sort.Search(len(set), func(i int) bool { return set[i].key >= key })
	j := i
	for j < len(set) && set[j].key == key {
		j++
	}
	return set[i:j]
}

func removeGensOf(set []gen, key string) []gen {
	i := sort.Search(len(set), func(i int) bool { return set[i].key >= key })
	j := i
	for j < len(set) && set[j].key == key {
		j++
	}
	if i == j {
		return set
	}
	out := make([]gen, 0, len(set)-(j-i))
	out = append(out, set[:i]...)
	return append(out, set[j:]...)
}

func unionGens(a, b []gen) []gen {
	out := a
	for _, g := range b {
		out = addGen(out, g)
	}
	return out
}

func anyGen(set, of []gen) bool {
	for _, g := range of {
		if hasGen(set, g) {
			return true
		}
	}
	return false
}

// leak is a lock that may still be held because a path skipped the
// release that another path made.
type leak struct {
	lock Lock
	site token.Pos // the acquisition, or the call that left it held
	via  []string  // for a callee's leak: the call chain
}

func leakOf(set []leak, key string) (leak, bool) {
	i := sort.Search(len(set), func(i int) bool { return set[i].lock.Key >= key })
	if i < len(set) && set[i].lock.Key == key {
		return set[i], true
	}
	return leak{}, false
}

func addLeak(set []leak, l leak) []leak {
	i := sort.Search(len(set), func(i int) bool { return set[i].lock.Key >= l.lock.Key })
	if i < len(set) && set[i].lock.Key == l.lock.Key {
		return set
	}
	out := make([]leak, 0, len(set)+1)
	out = append(out, set[:i]...)
	out = append(out, l)
	return append(out, set[i:]...)
}

func removeLeak(set []leak, key string) []leak {
	i := sort.Search(len(set), func(i int) bool { return set[i].lock.Key >= key })
	if i >= len(set) || set[i].lock.Key != key {
		return set
	}
	out := make([]leak, 0, len(set)-1)
	out = append(out, set[:i]...)
	return append(out, set[i+1:]...)
}

// lstate is the lock state at one program point. Its slices are never
// mutated after construction, so states can be shared.
type lstate struct {
	must, may []Lock // sorted by Key
	rel       []Lock // released on every path without being acquired here
	relEver   []Lock // released on some path without being acquired first
	taken     []Lock // acquired or taken (not maybe) on every path
	defers    []op   // deferred effects pending on every path
	gens      []gen  // acquisitions that may still hold their lock
	relGens   []gen  // acquisitions released on some path since
	leaks     []leak // may-held locks that some path failed to release
}

func (s *lstate) isEmpty() bool {
	return len(s.must) == 0 && len(s.may) == 0 && len(s.rel) == 0 && len(s.relEver) == 0 && len(s.taken) == 0 && len(s.defers) == 0 &&
		len(s.gens) == 0 && len(s.relGens) == 0 && len(s.leaks) == 0
}

func addLock(set []Lock, l Lock) []Lock {
	i := sort.Search(len(set), func(i int) bool { return set[i].Key >= l.Key })
	if i < len(set) && set[i].Key == l.Key {
		return set
	}
	out := make([]Lock, 0, len(set)+1)
	out = append(out, set[:i]...)
	out = append(out, l)
	return append(out, set[i:]...)
}

func removeLock(set []Lock, key string) []Lock {
	i := sort.Search(len(set), func(i int) bool { return set[i].Key >= key })
	if i >= len(set) || set[i].Key != key {
		return set
	}
	out := make([]Lock, 0, len(set)-1)
	out = append(out, set[:i]...)
	return append(out, set[i+1:]...)
}

func hasLock(set []Lock, key string) bool {
	i := sort.Search(len(set), func(i int) bool { return set[i].Key >= key })
	return i < len(set) && set[i].Key == key
}

func intersect(a, b []Lock) []Lock {
	var out []Lock
	for _, l := range a {
		i := sort.Search(len(b), func(i int) bool { return b[i].Key >= l.Key })
		if i < len(b) && b[i].Key == l.Key {
			if b[i].Read {
				l.Read = true // the weaker claim
			}
			out = append(out, l)
		}
	}
	return out
}

func union(a, b []Lock) []Lock {
	out := a
	for _, l := range b {
		out = addLock(out, l)
	}
	return out
}

// opKey identifies an op across paths. A release is one whether it is
// an Unlock or an RUnlock: a path that read-locked and deferred RUnlock
// and a path that locked and deferred Unlock both release the mutex at
// return.
func opKey(o op) string {
	read := o.lock.Read
	if o.kind == Release {
		read = false
	}
	return fmt.Sprintf("%d:%s:%t", o.kind, o.lock.Key, read)
}

func intersectOps(a, b []op) []op {
	var out []op
	seen := map[string]bool{}
	for _, o := range b {
		seen[opKey(o)] = true
	}
	for _, o := range a {
		if seen[opKey(o)] {
			out = append(out, o)
		}
	}
	return out
}

func sameLocks(a, b []Lock) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Key != b[i].Key || a[i].Read != b[i].Read {
			return false
		}
	}
	return true
}

func sameState(a, b *lstate) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil {
		return false
	}
	if !sameLocks(a.must, b.must) || !sameLocks(a.may, b.may) || !sameLocks(a.rel, b.rel) || !sameLocks(a.relEver, b.relEver) || !sameLocks(a.taken, b.taken) || len(a.defers) != len(b.defers) {
		return false
	}
	for i := range a.defers {
		if opKey(a.defers[i]) != opKey(b.defers[i]) {
			return false
		}
	}
	if len(a.gens) != len(b.gens) || len(a.relGens) != len(b.relGens) || len(a.leaks) != len(b.leaks) {
		return false
	}
	for i := range a.gens {
		if a.gens[i] != b.gens[i] {
			return false
		}
	}
	for i := range a.relGens {
		if a.relGens[i] != b.relGens[i] {
			return false
		}
	}
	for i := range a.leaks {
		if a.leaks[i].lock.Key != b.leaks[i].lock.Key || a.leaks[i].site != b.leaks[i].site {
			return false
		}
	}
	return true
}

func join(a, b *lstate) *lstate {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	return &lstate{
		must:    intersect(a.must, b.must),
		may:     union(a.may, b.may),
		rel:     intersect(a.rel, b.rel),
		relEver: union(a.relEver, b.relEver),
		taken:   intersect(a.taken, b.taken),
		defers:  intersectOps(a.defers, b.defers),
		gens:    unionGens(a.gens, b.gens),
		relGens: unionGens(a.relGens, b.relGens),
	}
}

// joinAll merges the states of the edges entering a block (or of the
// returns of a function) and finds leaks: a lock held on every path of
// one edge by an acquisition that another edge released is left held
// by the first path. A leak found at an earlier merge survives unless an
// entering edge released its acquisition (a later conditional release,
// as in "if !unlocked { mu.Unlock() }", closes the path-insensitive gap).
func joinAll(states []*lstate) *lstate {
	var in []*lstate
	for _, s := range states {
		if s != nil {
			in = append(in, s)
		}
	}
	if len(in) == 0 {
		return nil
	}
	if len(in) == 1 {
		return in[0]
	}
	out := in[0]
	for _, s := range in[1:] {
		out = join(out, s)
	}
	released := func(key string, gs []gen) bool {
		for _, s := range in {
			if !hasLock(s.may, key) && anyGen(s.relGens, gs) {
				return true
			}
		}
		return false
	}
	for _, l := range out.may {
		if hasLock(out.must, l.Key) {
			continue
		}
		var found *leak
		for _, s := range in {
			if le, ok := leakOf(s.leaks, l.Key); ok && !released(l.Key, gensOf(s.gens, l.Key)) {
				found = &le
				break
			}
		}
		if found == nil {
			for _, s := range in {
				i := sort.Search(len(s.must), func(i int) bool { return s.must[i].Key >= l.Key })
				if i >= len(s.must) || s.must[i].Key != l.Key {
					continue
				}
				if gs := gensOf(s.gens, l.Key); len(gs) > 0 && released(l.Key, gs) {
					found = &leak{lock: s.must[i], site: gs[0].site}
					break
				}
			}
		}
		if found != nil {
			out.leaks = addLeak(out.leaks, *found)
		}
	}
	return out
}

var emptyState = &lstate{}
