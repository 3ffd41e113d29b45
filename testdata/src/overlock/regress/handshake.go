package regress

import "sync"

// A constructor that waits for its goroutine to start: the goroutine's
// first act is Done, so the Wait under the caller's lock waits for
// scheduling, not for anything the lock keeps out.
type listener struct {
	mu sync.Mutex
	v  any
}

func listenOn(l *listener, in <-chan any, started *sync.WaitGroup) {
	started.Done()
	v := <-in
	l.mu.Lock()
	l.v = v
	l.mu.Unlock()
}

func newListener(in <-chan any) *listener {
	l := &listener{}
	var started sync.WaitGroup
	started.Add(1)
	go listenOn(l, in, &started)
	started.Wait()
	return l
}

type registry struct {
	mu sync.Mutex
	m  map[string]*listener
}

func (r *registry) add(k string, in <-chan any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m[k] = newListener(in) // ok: a start handshake
}

// The same, but the goroutine counts itself done only after it has
// received its first value: the Wait waits for a sender.
func listenLate(l *listener, in <-chan any, started *sync.WaitGroup) {
	v := <-in
	started.Done()
	l.mu.Lock()
	l.v = v
	l.mu.Unlock()
}

func newLateListener(in <-chan any) *listener {
	l := &listener{}
	var started sync.WaitGroup
	started.Add(1)
	go listenLate(l, in, &started)
	started.Wait()
	return l
}

func (r *registry) addLate(k string, in <-chan any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m[k] = newLateListener(in) // want `r\.mu held across blocking call to started\.Wait \(via newLateListener\)`
}

// A closure that counts itself done first.
func (r *registry) addInline(k string, in <-chan any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := &listener{}
	var started sync.WaitGroup
	started.Add(1)
	go func() {
		started.Done()
		l.v = <-in
	}()
	started.Wait() // ok: Done is the goroutine's first act
	r.m[k] = l
}
