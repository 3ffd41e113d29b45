// Package ring hands slots from producers to consumers by an atomic turn
// counter: a slot's item is written between the acquiring load of its
// turn and the releasing store of the next turn.
package ring

import "sync/atomic"

type slot struct {
	turn atomic.Uint64
	item int
}

type Ring struct {
	head  atomic.Uint64
	tail  atomic.Uint64
	slots [8]slot
}

func (r *Ring) TryPut(v int) bool {
	head := r.head.Load()
	s := &r.slots[head%8]
	turn := head / 8 * 2
	if s.turn.Load() == turn && r.head.CompareAndSwap(head, head+1) {
		s.item = v
		s.turn.Store(turn + 1)
		return true
	}
	return false
}

func (r *Ring) TryGet() (int, bool) {
	tail := r.tail.Load()
	s := &r.slots[tail%8]
	turn := tail/8*2 + 1
	if s.turn.Load() == turn && r.tail.CompareAndSwap(tail, tail+1) {
		v := s.item
		s.item = 0
		s.turn.Store(turn + 1)
		return v, true
	}
	return 0, false
}

// Clear writes every slot with no protocol at all.
func (r *Ring) Clear() { // want Clear:`accesses\(w 0\.slots\[\]\.item\)`
	for i := range r.slots {
		r.slots[i].item = 0
	}
}
