package regress

import "sync"

// ---- A pool's return channel sized by a field that is always positive:
// a default, replaced only by a positive option (nbio's hostConns).

type connPool struct {
	mu    sync.Mutex
	max   int
	idle  chan int
	conns map[int]bool
}

func newConnPool(max int) *connPool {
	p := &connPool{max: 64, conns: map[int]bool{}}
	if max > 0 {
		p.max = max
	}
	p.idle = make(chan int, p.max)
	return p
}

func (p *connPool) get() int { return <-p.idle }

func (p *connPool) Release(c int) { // ok: one send into a buffer of at least one
	p.mu.Lock()
	defer p.mu.Unlock()
	p.conns[c] = false
	p.idle <- c
}

// The same pool sized by an unchecked option: the buffer may be zero.
type rawPool struct {
	mu    sync.Mutex
	max   int
	idle  chan int
	conns map[int]bool
}

func newRawPool(max int) *rawPool {
	p := &rawPool{max: 64, conns: map[int]bool{}}
	p.max = max
	p.idle = make(chan int, p.max)
	return p
}

func (p *rawPool) get() int { return <-p.idle }

func (p *rawPool) Release(c int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.conns[c] = false
	p.idle <- c // want `p.mu held across blocking send on p.idle`
}
