package regress

import (
	"container/list"
	"sync"
)

// A state machine wakes its waiters in FIFO order: each waiter has a
// one-slot reply channel, is removed from the queue under the lock, and
// gets one reply, which cannot block.
type transition struct{ err error }

type waiter struct {
	want int
	done chan transition
}

type machine struct {
	mu      sync.Mutex
	state   int
	waiters *list.List
}

func (m *machine) await(want int) error {
	w := &waiter{want: want, done: make(chan transition, 1)}
	m.mu.Lock()
	m.waiters.PushBack(w)
	m.mu.Unlock()
	return (<-w.done).err
}

// goodNotify: the waiter is taken out of the list before its reply.
func (m *machine) goodNotify() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for e := m.waiters.Front(); e != nil; e = e.Next() {
		w := e.Value.(*waiter)
		if w.want == m.state {
			m.waiters.Remove(e)
			w.done <- transition{}
			return
		}
	}
}

// badNotifyAll replies without removing the waiter: a second notify can
// send to the same full channel while m.mu is held.
func (m *machine) badNotifyAll() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for e := m.waiters.Front(); e != nil; e = e.Next() {
		w := e.Value.(*waiter)
		w.done <- transition{} // want `m.mu held across blocking send on w.done`
	}
}

// A refresher answers every waiter once and closes the channel: the
// one-slot reply cannot block.
type refresh struct {
	mu    sync.Mutex
	chans []chan refreshErr
}

type refreshErr struct{ err error }

func (r *refresh) wait() chan refreshErr {
	ch := make(chan refreshErr, 1)
	r.chans = append(r.chans, ch)
	return ch
}

func (r *refresh) await() error {
	r.mu.Lock()
	ch := r.wait()
	r.mu.Unlock()
	return (<-ch).err
}

// goodAnswerAll sends once on each channel and closes it.
func (r *refresh) goodAnswerAll(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ch := range r.chans {
		ch <- refreshErr{err}
		close(ch)
	}
	r.chans = nil
}

// An unbuffered twin: the send waits for the waiter to receive, under
// the lock.
type syncRefresh struct {
	mu    sync.Mutex
	chans []chan syncErr
}

type syncErr struct{ err error }

func (r *syncRefresh) wait() chan syncErr {
	ch := make(chan syncErr)
	r.chans = append(r.chans, ch)
	return ch
}

func (r *syncRefresh) badAnswerAll(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ch := range r.chans {
		ch <- syncErr{err} // want `r.mu held across blocking send on ch`
		close(ch)
	}
	r.chans = nil
}

// The same refresher over chan error, an element type the package also
// makes unbuffered elsewhere: every channel appended to chans is made
// with room for its one value.
type errRefresh struct {
	mu    sync.Mutex
	chans []chan error
}

func (r *errRefresh) wait() chan error {
	ch := make(chan error, 1)
	r.chans = append(r.chans, ch)
	return ch
}

func (r *errRefresh) goodAnswerAll(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ch := range r.chans {
		ch <- err
		close(ch)
	}
	r.chans = r.chans[:0]
}

func unbufferedErrors() chan error { return make(chan error) }
