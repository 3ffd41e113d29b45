package recall

import "sync"

// store has one implementation in the package: calls through it reach
// (*memStore).put.
type store interface {
	put(k string)
}

type memStore struct {
	n int
}

func (m *memStore) put(k string) {
	m.n++ // want `unsynchronized write to s\.st\.n: the goroutine running badSoleImpl\.func1 writes s\.st\.n, which the goroutine running badSoleImpl\.func2 writes`
}

type service struct {
	st store
}

func (s *service) handle(k string) { s.st.put(k) }

func badSoleImpl(st *memStore) {
	s := &service{st: st}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		s.handle("a")
	}()
	go func() {
		defer wg.Done()
		s.handle("b")
	}()
	wg.Wait()
}

type lockedStore interface {
	add(k string)
}

type memLocked struct {
	mu sync.Mutex
	n  int // want n:"guarded\\(mu\\)"
}

func (m *memLocked) add(k string) {
	m.mu.Lock()
	m.n++
	m.mu.Unlock()
}

func goodSoleImpl(st *memLocked) {
	var s lockedStore = st
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		s.add("a")
	}()
	go func() {
		defer wg.Done()
		s.add("b")
	}()
	wg.Wait()
}

// popper has two implementations; the helper is handed a *queue, so
// the call inside it reaches (*queue).pop.
type popper interface {
	pop()
}

type queue struct{ items []int }

func (q *queue) pop() {
	q.items = q.items[:len(q.items)-1] // want `unsynchronized write to q\.items: the goroutine running popOne writes q\.items, which badKnownType reads after the go statement`
}

type emptyPopper struct{}

func (emptyPopper) pop() {}

func popOne(p popper) { p.pop() }

func badKnownType(q *queue) int {
	go popOne(q)
	return len(q.items)
}

func goodKnownType(q *queue) int {
	done := make(chan struct{})
	go func() {
		popOne(q)
		close(done)
	}()
	<-done
	return len(q.items)
}

// A go statement calling an interface method runs the only
// implementation.
type runner interface {
	execute()
}

type job2 struct{ state int }

func (j *job2) execute() {
	j.state = 1 // want `unsynchronized write to r\.state: the goroutine running \(\*job2\)\.execute writes r\.state, which badGoInterface reads after the go statement`
}

func badGoInterface(r runner) int {
	go r.execute()
	return r.(*job2).state
}

func goodGoInterface(r runner) int {
	done := make(chan struct{})
	go func() {
		r.execute()
		close(done)
	}()
	<-done
	return r.(*job2).state
}
