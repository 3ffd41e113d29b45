package publish

// A router's run sets its running state before it closes the channel
// that its getter returns: a reader that waits on the getter's channel
// is ordered after the write.
type router struct {
	isRunning bool
	running   chan struct{}
}

func newRouter() *router { return &router{running: make(chan struct{})} }

func (r *router) run() {
	r.isRunning = true
	close(r.running)
}

func (r *router) ready() <-chan struct{} { return r.running }

// GOOD: the read waits for the close through the getter.
func waitRunning() bool {
	r := newRouter()
	go r.run()
	<-r.ready()
	return r.isRunning
}

// BAD: the same router read with no wait.
type engine struct {
	started bool
	running chan struct{}
}

func (e *engine) run() {
	e.started = true // want `unsynchronized write to e\.started: the goroutine running \(\*engine\)\.run writes e\.started, which peekEngine reads after the go statement`
	close(e.running)
}

func (e *engine) ready() <-chan struct{} { return e.running }

func peekEngine() bool {
	e := &engine{running: make(chan struct{})}
	go e.run()
	return e.started
}
