// Package sections: one finding per critical section held across
// blocking work, and tests' own locks held to stall the code under test.
package sections

import (
	"sync"
	"time"
)

type Pump struct {
	mu  sync.Mutex
	out chan int
	ack chan bool
	n   int
}

// badTwoOps blocks twice in one section: one finding, the second
// operation as related information.
func (p *Pump) badTwoOps(v int) bool {
	p.mu.Lock()
	p.out <- v // want `p.mu held across blocking send on p.out \(and 1 more blocking operation in the same critical section\)`
	ok := <-p.ack
	p.n++
	p.mu.Unlock()
	return ok
}

// badTwoSections blocks in two separate sections: two findings.
func (p *Pump) badTwoSections(v int) {
	p.mu.Lock()
	p.out <- v // want `p.mu held across blocking send on p.out$`
	p.mu.Unlock()
	p.n++
	p.mu.Lock()
	time.Sleep(time.Millisecond) // want `p.mu held across blocking call to time.Sleep$`
	p.mu.Unlock()
}

// goodOutside blocks after the section.
func (p *Pump) goodOutside(v int) {
	p.mu.Lock()
	p.n++
	p.mu.Unlock()
	p.out <- v
}

// Config hands the package a channel for its events.
type Config struct {
	EventCh chan int
}

// Members sends every state change to the user's event channel under
// its lock: one design, one finding, with the other sections related.
type Members struct {
	mu     sync.Mutex
	config *Config
	n      int
}

func (m *Members) join() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.n++
	m.config.EventCh <- m.n // want `m.mu held across blocking send on m.config.EventCh \(and 2 more critical sections block on that channel under the same lock\)`
}

func (m *Members) leave() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.n--
	m.config.EventCh <- m.n
}

func (m *Members) update() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.config.EventCh <- m.n
}

// Throttle waits on a timer's exported channel in two places: a field of
// another package's type, not an event channel handed in; each section
// is its own finding.
type Throttle struct {
	mu    sync.Mutex
	timer *time.Timer
}

func (t *Throttle) reset(d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.timer != nil {
		<-t.timer.C // want `t.mu held across blocking receive from t.timer.C$`
	}
	t.timer = time.NewTimer(d)
}

// restart drains a timer that Stop could not stop: the value is there to
// take (the idiom; a drain that can find the value already taken is
// goroutineleak's timer-drain finding).
func (t *Throttle) restart(d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.timer != nil && !t.timer.Stop() {
		<-t.timer.C
	}
	t.timer = time.NewTimer(d)
}

func (t *Throttle) wait() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.timer != nil {
		<-t.timer.C // want `t.mu held across blocking receive from t.timer.C$`
		t.timer = nil
	}
}
