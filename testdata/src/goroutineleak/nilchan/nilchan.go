// Package nilchan pairs operations on channels that are always nil with
// clean twins.
package nilchan

type server struct {
	quit    chan struct{}
	results chan int
	ready   chan int
	events  chan int
}

func newServer() *server {
	return &server{quit: make(chan struct{}), ready: make(chan int, 1)}
}

// publish sends on results, which no code makes.
func (s *server) publish(v int) {
	s.results <- v // want `goroutine leak: the send on results, a field no code assigns, blocks for ever`
}

// consume ranges over events, which no code makes.
func (s *server) consume() int {
	n := 0
	for v := range s.events { // want `goroutine leak: the loop over events, a field no code assigns, blocks for ever`
		n += v
	}
	return n
}

// signal sends on ready, made by newServer; awaitReady takes it.
func (s *server) signal() { s.ready <- 1 }

func (s *server) awaitReady() int { return <-s.ready }

// wait selects on quit, made by newServer, beside the never-made
// results: a disabled case is the idiom.
func (s *server) wait() int {
	select {
	case <-s.quit:
		return 0
	case v := <-s.results:
		return v
	}
}

// deadSelect waits on two channels that are always nil.
func (s *server) deadSelect() int {
	select { // want `goroutine leak: the select, whose every case is on a nil channel, blocks for ever`
	case v := <-s.results:
		return v
	case v := <-s.events:
		return v
	}
}

// badNilLocal sends on a channel variable never made.
func badNilLocal() {
	var ch chan int
	go func() { <-make(chan int, 1) }()
	ch <- 1 // want `goroutine leak: the send on a nil channel blocks for ever`
}

// goodMadeLocal makes it first.
func goodMadeLocal() {
	ch := make(chan int, 1)
	ch <- 1
}

// goodForever blocks on purpose.
func goodForever() {
	select {}
}

type lazy struct{ c chan int }

// goodAssignedLater: the field is made by start.
func (l *lazy) start()    { l.c = make(chan int) }
func (l *lazy) next() int { return <-l.c }
func (l *lazy) put(v int) { l.c <- v }

type global struct{ c chan int }

var g = global{c: make(chan int, 1)}

// goodGlobalInit: the package variable's initializer makes it.
func goodGlobalInit() int { return <-g.c }
func putGlobal(v int)     { g.c <- v }

func mayFail() error { return nil }

// badSendBeforeShare sends on the channel before anyone else can have it.
func badSendBeforeShare() <-chan error {
	errC := make(chan error)
	if err := mayFail(); err != nil {
		errC <- err // want `goroutine leak: the send on errC blocks for ever: the channel is unbuffered and no other goroutine can have it yet`
		return errC
	}
	return errC
}

// goodSendAfterShare starts the receiver first.
func goodSendAfterShare(sink func(<-chan error)) {
	errC := make(chan error)
	go sink(errC)
	errC <- mayFail()
}

// goodBufferedPrivate has room for the value.
func goodBufferedPrivate() <-chan error {
	errC := make(chan error, 1)
	errC <- mayFail()
	return errC
}

// goodLoopShares hands each iteration's channel on before using the
// next: a later iteration's receive is after the hand-off.
func goodLoopShares(out chan chan int) {
	var ch chan int
	for i := 0; i < 3; i++ {
		if ch != nil {
			<-ch
		}
		ch = make(chan int)
		out <- ch
	}
}

type blocker struct{ release chan struct{} }

func (b *blocker) wait() { <-b.release }

func register(f func()) bool { f(); return true }

// The field is made in a function literal nested inside a package
// variable's initializer.
var _ = register(func() {
	func() {
		b := &blocker{release: make(chan struct{})}
		close(b.release)
		b.wait()
	}()
})

// goodBlockForever blocks on purpose, as select {} does.
func goodBlockForever() {
	<-make(chan struct{})
}

// goodNilReceive blocks on purpose on a nil channel.
func goodNilReceive() {
	var forever chan struct{}
	<-forever
}

func work() {}

// badMaybeAsync makes its done channel only in async mode, but waits on
// it in both: the synchronous path waits on a nil channel.
func badMaybeAsync(async bool) {
	var done chan struct{}
	if async {
		done = make(chan struct{})
		go func() {
			work()
			close(done)
		}()
	}
	<-done // want `goroutine leak: the receive from done, which is nil on a path that skips its make, blocks for ever`
}

func finish(done chan struct{}) { work(); close(done) }

// badMaybeAsyncArg is the same, with the channel handed to a function
// instead of captured.
func badMaybeAsyncArg(async bool) {
	var done chan struct{}
	if async {
		done = make(chan struct{})
		go finish(done)
	}
	<-done // want `goroutine leak: the receive from done, which is nil on a path that skips its make, blocks for ever`
}

// goodMaybeAsync waits only when it made the channel.
func goodMaybeAsync(async bool) {
	var done chan struct{}
	if async {
		done = make(chan struct{})
		go func() {
			work()
			close(done)
		}()
	}
	if done != nil {
		<-done
	}
}

// goodMaybeAsyncSameTest waits under the test that made the channel.
func goodMaybeAsyncSameTest(async bool) {
	var done chan struct{}
	if async {
		done = make(chan struct{})
		go func() {
			work()
			close(done)
		}()
	}
	work()
	if async {
		<-done
	}
}

// goodEveryPathMakes makes the channel on both branches.
func goodEveryPathMakes(async bool) {
	var done chan struct{}
	if async {
		done = make(chan struct{})
		go func() { work(); close(done) }()
	} else {
		done = make(chan struct{}, 1)
		done <- struct{}{}
	}
	<-done
}
