package regress

import "sync"

// ---- A receive from a channel the function itself filled first: the
// value is already in the buffer.

type Meter struct {
	mu    sync.Mutex
	hits  []int
	reads int
}

func (m *Meter) Last() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads++
	res := make(chan int, 1)
	res <- len(m.hits)
	return <-res
}

// Two receives for one send: the second waits forever.
func (m *Meter) Twice() (int, int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads++
	res := make(chan int, 1)
	res <- len(m.hits)
	a := <-res
	return a, <-res // want `m.mu held across blocking receive from res`
}

// A send on one branch only does not fill the buffer on the other.
func (m *Meter) Maybe(ok bool) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads++
	res := make(chan int, 1)
	if ok {
		res <- len(m.hits)
	}
	return <-res // want `m.mu held across blocking receive from res`
}
