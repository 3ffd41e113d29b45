package regress

import "sync"

// GOOD: a pool's slots are tokens of a channel filled to its capacity
// where it is made; put gives back the token get took, so the buffer
// has room and the send under the lock cannot block.
type tokenPool struct {
	mu     sync.Mutex
	max    int
	active int
	slots  chan struct{}
}

func (p *tokenPool) init() {
	p.slots = make(chan struct{}, p.max)
	for i := 0; i < p.max; i++ {
		p.slots <- struct{}{}
	}
}

func (p *tokenPool) get() {
	<-p.slots
	p.mu.Lock()
	p.active++
	p.mu.Unlock()
}

func (p *tokenPool) put() {
	p.mu.Lock()
	p.active--
	p.slots <- struct{}{}
	p.mu.Unlock()
}

// BAD: filled one short of its capacity it is no semaphore: a send
// may find the buffer full.
type shortTokenPool struct {
	mu     sync.Mutex
	max    int
	active int
	slots  chan struct{}
}

func (p *shortTokenPool) init() {
	p.slots = make(chan struct{}, p.max)
	for i := 0; i < p.max-1; i++ {
		p.slots <- struct{}{}
	}
}

func (p *shortTokenPool) get() {
	<-p.slots
}

func (p *shortTokenPool) put() {
	p.mu.Lock()
	p.active--
	p.slots <- struct{}{} // want `p.mu held across blocking send on p.slots`
	p.mu.Unlock()
}
