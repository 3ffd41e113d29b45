package regress

import "sync"

// A goroutine's channels set up under a lock only when a predicate
// method finds them unset (if r.running() { return }): a second Start
// does not touch them while the goroutine runs.

type relay struct {
	m        sync.Mutex
	signals  chan int
	shutdown chan struct{}
	finished chan struct{} // want finished:"guarded\\(m\\)"
}

func (r *relay) loop() {
	defer func() {
		r.finished <- struct{}{} // want `unsynchronized read of r\.finished: the goroutine running \(\*relay\)\.loop reads r\.finished, which useRelayReset writes after calling \(\*relay\)\.start`
	}()
	select {
	case <-r.shutdown:
	case <-r.signals:
	}
}

func (r *relay) running() bool {
	return r.shutdown != nil && r.finished != nil
}

func (r *relay) start() {
	r.m.Lock()
	defer r.m.Unlock()
	if r.running() {
		return
	}
	r.finished = make(chan struct{}, 1)
	r.shutdown = make(chan struct{}, 1)
	go r.loop()
}

// reset replaces the channels whatever the goroutine is doing.
func (r *relay) reset() {
	r.m.Lock()
	defer r.m.Unlock()
	r.finished = make(chan struct{}, 1)
}

func useRelayTwice() {
	r := &relay{signals: make(chan int)}
	r.start()
	r.start()
}

func useRelayReset() {
	r := &relay{signals: make(chan int)}
	r.start()
	r.reset()
}
