package basic

import "sync"

// A tracker that tells a watcher about each change with a deferred send.
// Defers run last-in first-out: registered after the deferred Unlock,
// the send runs while the lock is held, and the watcher, which reads
// the state under the lock before it receives again, cannot take it.
type changeTracker struct {
	mu     sync.Mutex
	state  map[string]string
	events chan string
}

func (t *changeTracker) watch() {
	for id := range t.events {
		_ = t.get(id)
	}
}

func (t *changeTracker) get(id string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.state[id]
}

func (t *changeTracker) announce(id string) { t.events <- id }

func (t *changeTracker) setLate(id, v string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	defer t.announce(id) // want `t\.mu held across blocking send on t\.events \(via \(\*changeTracker\)\.announce\), a deferred call: it runs as the function returns, with the lock still held`
	t.state[id] = v
}

// Registered before the lock is taken, the send runs after the Unlock.
func (t *changeTracker) setEarly(id, v string) {
	defer t.announce(id) // ok: runs after the deferred Unlock
	t.mu.Lock()
	defer t.mu.Unlock()
	t.state[id] = v
}

// With an explicit Unlock before the return, nothing is held when the
// deferred send runs.
func (t *changeTracker) setExplicit(id, v string) {
	defer t.announce(id) // ok: the lock is released before the return
	t.mu.Lock()
	t.state[id] = v
	t.mu.Unlock()
}

// A lock used as a start signal: the server unlocks it once started,
// and the test locks it again to wait for that. It is held at the
// return, but no defer of this function releases it: the deferred
// shutdown is not ordered against it.
type startSignal struct {
	notifyStarted func()
	events        chan string
}

func (s *startSignal) shutdown() { s.events <- "stop" }

func waitStarted(s *startSignal) {
	var ready sync.Mutex
	ready.Lock()
	s.notifyStarted = ready.Unlock
	defer s.shutdown() // ok: ready is not this function's to release
	ready.Lock()
}
