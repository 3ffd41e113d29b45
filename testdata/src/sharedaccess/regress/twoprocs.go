package regress

import "sync"

// ---- A writer with two worker goroutines (a buffering one and a
// sending one), each started once and each sending once on the shared
// done channel when it stops. close stops both and takes two answers
// before clearing the queue field: the sender's last read of the field
// comes before one of them (influxdb-client-go's WriteAPIImpl).

type tpWriter struct {
	closingMu  sync.Mutex
	queue      chan int // want queue:`guarded\(closingMu\)`
	bufferStop chan struct{}
	queueStop  chan struct{}
	done       chan struct{}
}

func newTPWriter() *tpWriter {
	w := &tpWriter{queue: make(chan int), bufferStop: make(chan struct{}), queueStop: make(chan struct{}), done: make(chan struct{})}
	go w.bufferProc()
	go w.queueProc()
	return w
}

func (w *tpWriter) bufferProc() {
	<-w.bufferStop
	w.done <- struct{}{}
}

func (w *tpWriter) queueProc() { // ok: close takes both goroutines' answers before clearing queue
loop:
	for {
		select {
		case v := <-w.queue:
			_ = v
		case <-w.queueStop:
			break loop
		}
	}
	w.done <- struct{}{}
}

func (w *tpWriter) close() {
	w.closingMu.Lock()
	defer w.closingMu.Unlock()
	if w.queue != nil {
		close(w.bufferStop)
		<-w.done
		close(w.queueStop)
		<-w.done
		close(w.queue)
		w.queue = nil
	}
}

// The same, but close takes one answer only: it may be the buffering
// goroutine's, while the sender still reads the field.

type tpWriter1 struct {
	closingMu  sync.Mutex
	queue      chan int // want queue:`guarded\(closingMu\)`
	bufferStop chan struct{}
	queueStop  chan struct{}
	done       chan struct{}
}

func newTPWriter1() *tpWriter1 {
	w := &tpWriter1{queue: make(chan int), bufferStop: make(chan struct{}), queueStop: make(chan struct{}), done: make(chan struct{})}
	go w.bufferProc()
	go w.queueProc()
	return w
}

func (w *tpWriter1) bufferProc() {
	<-w.bufferStop
	w.done <- struct{}{}
}

func (w *tpWriter1) queueProc() {
	for {
		select {
		case v := <-w.queue: // want `unsynchronized read of w.queue: \(\*tpWriter1\).queueProc reads it without w.closingMu, which \(\*tpWriter1\).close writes holding it`
			_ = v
		case <-w.queueStop:
			w.done <- struct{}{}
			return
		}
	}
}

func (w *tpWriter1) close() {
	w.closingMu.Lock()
	defer w.closingMu.Unlock()
	if w.queue != nil {
		close(w.bufferStop)
		close(w.queueStop)
		<-w.done
		w.queue = nil
	}
}
