package embedded

import "sync"

type Counter struct {
	sync.Mutex
	n int
}

type Outer struct {
	Counter
	rw sync.RWMutex
}

func (c *Counter) Inc() { // want Inc:`takes\(0.Mutex\)$`
	c.Lock()
	c.n++
	c.Unlock()
}

func (o *Outer) Inc() { // want Inc:`takes\(0.Counter.Mutex\)$`
	o.Lock()
	defer o.Unlock()
	o.n++
}

// Promoted method through embedding: the Counter's summary applies to
// o.Counter.
func (o *Outer) Both() { // want Both:`takes\(0.Counter.Mutex, 0.rw\) edges\(0.rw->0.Counter.Mutex\)`
	o.rw.Lock()
	o.Counter.Inc()
	o.rw.Unlock()
}

func (o *Outer) Promoted() { // want Promoted:`takes\(0.Counter.Mutex\)$`
	o.Inc2()
}

func (c *Counter) Inc2() { // want Inc2:`takes\(0.Mutex\)$`
	c.Inc()
}
