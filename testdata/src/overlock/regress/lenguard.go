package regress

import "sync"

// A single consumer drains what is waiting under its lock: each receive
// runs only after len found a value there. Clean.

type eventLog struct {
	mu     sync.Mutex
	events chan int
	final  []int
}

func (l *eventLog) record(e int) {
	select {
	case l.events <- e:
	default:
	}
}

func (l *eventLog) finish() []int {
	l.mu.Lock()
	defer l.mu.Unlock()
	for len(l.events) > 0 {
		l.final = append(l.final, <-l.events)
	}
	return l.final
}

// Without the test of len the receive waits for the next event with
// the lock held.
func (l *eventLog) next() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := <-l.events // want `l.mu held across blocking receive from l.events`
	l.final = append(l.final, e)
	return e
}

// Another receiver takes values without the lock: it may take the last
// one between the test of len and the receive, which then waits with
// the lock held.
type racyLog struct {
	mu     sync.Mutex
	events chan int
	final  []int
}

func (l *racyLog) next() int { return <-l.events }

func (l *racyLog) finish() []int {
	l.mu.Lock()
	defer l.mu.Unlock()
	for len(l.events) > 0 {
		l.final = append(l.final, <-l.events) // want `l.mu held across blocking receive from l.events`
	}
	return l.final
}
