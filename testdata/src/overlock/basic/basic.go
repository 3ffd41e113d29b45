package basic

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

type S struct {
	mu    sync.Mutex
	rw    sync.RWMutex
	jobs  chan int
	out   chan int
	cond  *sync.Cond
	wg    sync.WaitGroup
	conn  net.Conn
	f     *os.File
	n     int
	state map[string]int
}

func (s *S) next() int { return <-s.jobs }

// Direct channel operations.

func (s *S) badRecv() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return <-s.jobs // want `s.mu held across blocking receive from s.jobs`
}

func (s *S) goodRecv() int { // ok: receive first, then lock
	v := <-s.jobs
	s.mu.Lock()
	s.n += v
	s.mu.Unlock()
	return v
}

func (s *S) badSend(v int) {
	s.mu.Lock()
	s.n++
	s.out <- v // want `s.mu held across blocking send on s.out`
	s.mu.Unlock()
}

func (s *S) goodSend(v int) { // ok: select with default never blocks
	s.mu.Lock()
	s.n++
	select {
	case s.out <- v:
	default:
	}
	s.mu.Unlock()
}

func (s *S) badRead() int {
	s.rw.RLock()
	defer s.rw.RUnlock()
	return <-s.jobs // want `s.rw \(read\) held across blocking receive from s.jobs`
}

// setJobs write-locks s.rw: the readers above hold up this writer.
func (s *S) setJobs(jobs chan int) {
	s.rw.Lock()
	s.jobs = jobs
	s.rw.Unlock()
}

func (s *S) peek() int { // ok: s.rw also guards plain reads
	s.rw.RLock()
	defer s.rw.RUnlock()
	return s.n
}

func (s *S) badSelect(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select { // want `s.mu held across blocking select without default`
	case <-ctx.Done():
	case v := <-s.jobs:
		s.n = v
	}
}

func (s *S) badCtx(ctx context.Context) {
	s.mu.Lock()
	<-ctx.Done() // want `s.mu held across blocking receive from ctx.Done\(\)`
	s.mu.Unlock()
}

func (s *S) goodClose() { // ok: close never blocks
	s.mu.Lock()
	close(s.out)
	s.mu.Unlock()
}

func (s *S) goodCancel(cancel context.CancelFunc) { // ok: cancel functions do not block
	s.mu.Lock()
	cancel()
	s.mu.Unlock()
}

func (s *S) goodBuffered() { // ok: one send into a fresh one-slot channel
	s.mu.Lock()
	done := make(chan int, 1)
	done <- s.n
	s.mu.Unlock()
	<-done
}

func (s *S) badUnbuffered() {
	s.mu.Lock()
	done := make(chan int)
	go func() { <-done }()
	done <- s.n // want `s.mu held across blocking send on done`
	s.mu.Unlock()
}

// Waiting.

func (s *S) badSleep() {
	s.mu.Lock()
	time.Sleep(time.Millisecond) // want `s.mu held across blocking call to time.Sleep`
	s.mu.Unlock()
}

func (s *S) badWait() {
	s.mu.Lock()
	s.wg.Wait() // want `s.mu held across blocking call to s.wg.Wait`
	s.mu.Unlock()
}

func (s *S) goodCondWait() { // ok: Cond.Wait releases its lock
	s.cond.L.Lock()
	for s.n == 0 {
		s.cond.Wait()
	}
	s.cond.L.Unlock()
}

func (s *S) goodTryLock() bool { // ok: TryLock back-off
	if !s.mu.TryLock() {
		return false
	}
	s.n++
	s.mu.Unlock()
	return true
}

func (s *S) goodUnlockToWait() int { // ok: the lock is released around the wait
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
	v := <-s.jobs
	s.mu.Lock()
	s.n += v
	s.mu.Unlock()
	return v
}

// I/O.

func (s *S) badHTTP(c *http.Client, req *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.Do(req) // want `s.mu held across blocking call to c.Do`
}

func (s *S) goodSerialWrite(b []byte) { // ok: s.mu serialises writes on s.conn
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conn.Write(b)
}

// Reg holds no stream of its own.
type Reg struct {
	mu sync.Mutex
	n  int
}

func (s *Reg) inc() { // ok: Reg.mu guards s.n
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
}

func (s *Reg) badOtherWrite(c net.Conn, b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.Write(b) // want `s.mu held across blocking call to c.Write`
}

func (s *S) goodWriter(w io.Writer, b []byte) { // ok: an io.Writer may be memory
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Write(b)
}

func (s *Reg) badCopy(dst *os.File, r io.Reader) {
	s.mu.Lock()
	io.Copy(dst, r) // want `s.mu held across blocking call to io.Copy`
	s.mu.Unlock()
}

// Interprocedural.

func (s *S) badChain() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.next() // want `s.mu held across blocking receive from s.jobs \(via \(\*S\).next\) \(and 1 more critical section reaches it through calls\)`
}

func (s *S) process() int { return s.next() * 2 }

func (s *S) badDeepChain() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.process() // the same receive in next as badChain's: one finding, this section its related position
}

// waitLocked must be called with s.mu held; it drops it while waiting.
func (s *S) waitLocked() int {
	s.mu.Unlock()
	v := <-s.jobs
	s.mu.Lock()
	return v
}

func (s *S) goodWaitLocked() int { // ok: the callee unlocks s.mu before it blocks
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.waitLocked()
}

func (s *S) condWaitLocked() {
	for s.n == 0 {
		s.cond.Wait()
	}
}

func (s *S) goodCondChain() { // ok: only Cond.Wait blocks
	s.cond.L.Lock()
	s.condWaitLocked()
	s.cond.L.Unlock()
}

// Lock wrappers.

func (s *S) lock()   { s.mu.Lock() }
func (s *S) unlock() { s.mu.Unlock() }

func (s *S) badWrapped() {
	s.lock()
	<-s.jobs // want `s.mu held across blocking receive from s.jobs`
	s.unlock()
}

func (s *S) goodWrapped() { // ok: wait after the wrapper unlocks
	s.lock()
	s.n++
	s.unlock()
	<-s.jobs
}

var registryMu sync.Mutex

func badGlobal(ch chan int) {
	registryMu.Lock()
	defer registryMu.Unlock()
	ch <- 1 // want `registryMu held across blocking send on ch`
}

func goodSpawn(ch chan int) { // ok: the send runs on its own goroutine
	registryMu.Lock()
	defer registryMu.Unlock()
	go func() { ch <- 1 }()
}

// A token lock: wmu guards no memory and is only ever held to pair a
// send with its acknowledgement, as io.Pipe's writer mutex does.
type Pipe struct {
	wmu  sync.Mutex
	rmu  sync.Mutex
	data chan []byte
	ack  chan int
}

func (p *Pipe) Write(b []byte) int { // ok: wmu serialises the protocol it wraps
	p.wmu.Lock()
	defer p.wmu.Unlock()
	p.data <- b
	return <-p.ack
}

func (p *Pipe) Read(b []byte) int { // ok: rmu serialises the reading side
	p.rmu.Lock()
	defer p.rmu.Unlock()
	n := copy(b, <-p.data)
	p.ack <- n
	return n
}

// Both sides take the same token around the same channel: they wait for
// each other.
type Mailbox struct {
	mu sync.Mutex
	ch chan int
}

func (m *Mailbox) Put(v int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ch <- v // want `m.mu held across blocking send on m.ch`
}

func (m *Mailbox) Get() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return <-m.ch // want `m.mu held across blocking receive from m.ch`
}

// Conn serialises its handshake, whose writes happen on a helper that
// the analysis cannot trace back to c.
type Conn struct {
	handshakeMu sync.Mutex
	raw         net.Conn
	done        bool
}

type handshake struct{ c *Conn }

func (h *handshake) run() { h.c.raw.Write(nil) }

func (c *Conn) Handshake() { // ok: stream I/O under the mutex that sits beside the stream
	c.handshakeMu.Lock()
	defer c.handshakeMu.Unlock()
	hs := &handshake{c: c}
	hs.run()
	c.done = true
}

func (c *Conn) Fetch(cl *http.Client, req *http.Request) {
	c.handshakeMu.Lock()
	defer c.handshakeMu.Unlock()
	cl.Do(req) // want `c.handshakeMu held across blocking call to cl.Do`
}

// Opener's request channel is sized never to fill.
type Opener struct {
	mu   sync.Mutex
	n    int
	reqs chan struct{}
	one  chan struct{}
}

func NewOpener() *Opener {
	return &Opener{reqs: make(chan struct{}, 1<<20), one: make(chan struct{}, 1)}
}

func (o *Opener) Request() { // ok: a million-slot buffer is sized never to fill
	o.mu.Lock()
	o.n++
	o.reqs <- struct{}{}
	o.mu.Unlock()
}

func (o *Opener) Notify() {
	o.mu.Lock()
	o.n++
	o.one <- struct{}{} // ok: one slot, one send per call; no reader in the package needs o.mu
	o.mu.Unlock()
}

// Writer reconnects under its mutex; the lock is named as written in the
// source even though its root is a fresh local.
type Writer struct {
	mu   sync.Mutex
	addr string
	n    int
}

func (w *Writer) connect() { net.Dial("tcp", w.addr) }

func Dial(addr string) *Writer {
	w := &Writer{addr: addr}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.connect() // want `w.mu held across blocking call to net.Dial \(via \(\*Writer\).connect\)`
	w.n++
	return w
}

// A wanted connection is delivered once under its mutex: send then close on a
// one-slot channel never blocks.
type wantConn struct {
	mu     sync.Mutex
	done   bool
	result chan int
}

func newWantConn() *wantConn { return &wantConn{result: make(chan int, 1)} }

func (w *wantConn) tryDeliver(v int) { // ok: one send into one slot, then close
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return
	}
	w.done = true
	w.result <- v
	close(w.result)
}

func (c *Conn) clientHandshake() {
	hs := &handshake{c: c}
	hs.run()
}

func (c *Conn) HandshakeDeep() { // ok: the stream I/O is two calls away, under the stream's own mutex
	c.handshakeMu.Lock()
	defer c.handshakeMu.Unlock()
	c.clientHandshake()
	c.done = true
}

// relock is called holding s.mu; it lets go of it for a while and takes
// it back before returning.
func (s *S) relock() {
	s.mu.Unlock()
	defer s.mu.Lock()
	s.wg.Wait()
}

func (s *S) afterRelock() { // ok: s.mu was never taken here; relock only gives it back
	s.relock()
	<-s.jobs
}
