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
