package publish

import "sync"

// A Supervisor's stop registers the close of its liveness channel first
// and publishes its report under the lock after: the deferred close
// runs at stop's return, after the write, and Report reads only once it
// has received from the channel.
type Supervisor struct {
	mu       sync.Mutex
	report   []string
	liveness chan struct{}
}

func (s *Supervisor) Serve(stop <-chan struct{}) { // want Serve:`accesses\(r 0\.liveness; w 0\.report before close\(0\.liveness\) \[\(\*publish\.Supervisor\)\.mu\]; recv 1; close 0\.liveness\)`
	<-stop
	s.stop()
}

func (s *Supervisor) stop() {
	defer close(s.liveness)
	s.mu.Lock()
	s.report = []string{"left over"}
	s.mu.Unlock()
}

// Report waits for the Supervisor to end.
func (s *Supervisor) Report() []string { // want Report:`accesses\(r 0\.liveness; recv 0\.liveness\)`
	<-s.liveness
	return s.report // ok: after the close that follows the write
}

// The same shape, but stop closes another channel than the one Report
// waits on.
type Watcher struct {
	mu       sync.Mutex
	report   []string
	liveness chan struct{}
	other    chan struct{}
}

func (w *Watcher) Serve(stop <-chan struct{}) { // want Serve:`accesses\(r 0\.other; w 0\.report before close\(0\.other\) \[\(\*publish\.Watcher\)\.mu\]; recv 1; close 0\.other\)`
	<-stop
	w.stop()
}

func (w *Watcher) stop() {
	defer close(w.other)
	w.mu.Lock()
	w.report = []string{"left over"}
	w.mu.Unlock()
}

// Report waits on a channel that stop does not close.
func (w *Watcher) Report() []string { // want Report:`accesses\(r 0\.liveness; r 0\.report; recv 0\.liveness\)`
	<-w.liveness
	return w.report // want `unsynchronized read of w\.report: \(\*Watcher\)\.Report reads it without w\.mu, which \(\*Watcher\)\.stop writes holding it`
}
