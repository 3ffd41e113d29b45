// Package lazy makes its channels on first use, under its mutex, guarded
// by a nil check of one of them: a group initialised together.
package lazy

import "sync"

type Tomb struct {
	m      sync.Mutex
	dying  chan struct{}
	dead   chan struct{}
	reason error // want reason:"guarded\\(m\\)"
}

func (t *Tomb) init() {
	t.m.Lock()
	if t.dead == nil {
		t.dead = make(chan struct{})
		t.dying = make(chan struct{})
	}
	t.m.Unlock()
}

func (t *Tomb) Dead() <-chan struct{} { // want Dead:`accesses\(r 0\.dead; r 0\.dead \[\(\*lazy\.Tomb\)\.m,caller-held\]\)` Dead:`changetter\(0\.dead\)`
	t.init()
	return t.dead
}

func (t *Tomb) Dying() <-chan struct{} { // want Dying:`accesses\(r 0\.dead \[\(\*lazy\.Tomb\)\.m,caller-held\]; r 0\.dying\)` Dying:`changetter\(0\.dying\)`
	t.init()
	return t.dying
}

func (t *Tomb) Wait() error { // want Wait:`accesses\(r 0\.dead; r 0\.dead \[\(\*lazy\.Tomb\)\.m,caller-held\]; r 0\.reason \[\(\*lazy\.Tomb\)\.m\]; recv 0\.dead\)`
	t.init()
	<-t.dead
	t.m.Lock()
	defer t.m.Unlock()
	return t.reason
}

func (t *Tomb) Done() { // want Done:`accesses\(r 0\.dead; r 0\.dead \[\(\*lazy\.Tomb\)\.m,caller-held\]; r 0\.dying \[\(\*lazy\.Tomb\)\.m\]; r 0\.reason \[\(\*lazy\.Tomb\)\.m\]; close 0\.dying; close 0\.dead\)`
	t.Kill(nil)
	close(t.dead)
}

func (t *Tomb) Kill(reason error) { // want Kill:`accesses\(r 0\.dead \[\(\*lazy\.Tomb\)\.m,caller-held\]; r 0\.dying \[\(\*lazy\.Tomb\)\.m\]; r 0\.reason \[\(\*lazy\.Tomb\)\.m\]; close 0\.dying\)`
	t.init()
	t.m.Lock()
	defer t.m.Unlock()
	if t.reason == nil {
		t.reason = reason
		close(t.dying)
	}
}
