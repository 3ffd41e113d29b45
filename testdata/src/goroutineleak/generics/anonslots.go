package generics

import "sync"

// Slots of an anonymous struct type, written once in the field's type
// and once in the composite literal that fills it: two sets of fields
// by identity, one type. The channel is made in the literal. Clean.
type Ring[O any] struct {
	slots []*struct {
		value chan O
		lock  sync.Mutex
	}
}

func NewRing[O any](n int) *Ring[O] {
	r := &Ring[O]{}
	for i := 0; i < n; i++ {
		r.slots = append(r.slots, &struct {
			value chan O
			lock  sync.Mutex
		}{value: make(chan O, 1)})
	}
	return r
}

func (r *Ring[O]) Put(i int, f func() O) {
	s := r.slots[i%len(r.slots)]
	s.lock.Lock()
	go func() {
		defer s.lock.Unlock()
		s.value <- f()
	}()
}

func (r *Ring[O]) Get(i int) O {
	return <-r.slots[i%len(r.slots)].value
}

// A named slot whose channel nothing makes: the send blocks for ever.
type namedSlot[O any] struct {
	value chan O
}

type NamedRing[O any] struct {
	slots []*namedSlot[O]
}

func NewNamedRing[O any](n int) *NamedRing[O] {
	r := &NamedRing[O]{}
	for i := 0; i < n; i++ {
		r.slots = append(r.slots, &namedSlot[O]{})
	}
	return r
}

func (r *NamedRing[O]) Put(i int, v O) {
	r.slots[i%len(r.slots)].value <- v // want `goroutine leak: the send on value, a field no code assigns, blocks for ever`
}
