package basic

import "sync"

// Each slot is a channel with one buffer slot that holds its state as a
// token: take it, change it, give it back. Under the registry's lock,
// neither the take nor the give-back waits on anything that needs it.
type slotState struct{ n int }

type slotRegistry struct {
	mu    sync.Mutex
	slots map[string]chan slotState
}

func (r *slotRegistry) bump(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, ok := r.slots[key]
	if !ok {
		st = make(chan slotState, 1)
		st <- slotState{} // ok: the first token, into an empty buffer
		r.slots[key] = st
	}
	s := <-st // ok: taken and given back below
	s.n++
	st <- s // ok: gives back the token it took
}

// The same take and give-back in a closure over the channel, giving it
// back on either branch.
func (r *slotRegistry) touch(key string, only bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.slots[key]
	update := func() {
		s := <-st // ok: given back on both branches
		if only {
			st <- s
			return
		}
		s.n++
		st <- s
	}
	update()
}

func peek(st chan slotState) int {
	s := <-st
	st <- s
	return s.n
}

// The same registry with a second producer that pushes a fresh state
// without taking the token first: the buffer may be full when the
// holder gives its token back.
type pushedState struct{ n int }

type pushedRegistry struct {
	mu    sync.Mutex
	slots map[string]chan pushedState
}

func (r *pushedRegistry) bump(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, ok := r.slots[key]
	if !ok {
		st = make(chan pushedState, 1)
		st <- pushedState{}
		r.slots[key] = st
	}
	s := <-st // want `r\.mu held across blocking receive from st`
	s.n++
	st <- s
}

func reset(st chan pushedState) {
	st <- pushedState{}
}
