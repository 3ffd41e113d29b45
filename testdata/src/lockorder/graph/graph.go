package graph // want package:`edges\(graph.a->graph.b, graph.b->graph.a, graph.b->graph.c\)`

import "sync"

var a, b, c sync.Mutex

func ab() {
	a.Lock()
	b.Lock() // want `lock order inversion: b acquired while holding a; ba acquires them in the other order`
	b.Unlock()
	a.Unlock()
}

func ba() {
	b.Lock()
	a.Lock()
	a.Unlock()
	b.Unlock()
}

func bc() {
	b.Lock()
	c.Lock()
	c.Unlock()
	b.Unlock()
}
