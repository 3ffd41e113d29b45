// Package publish holds fields written before a channel is closed and
// read after a receive from it: the close orders the write before the
// read, with or without the lock that guards the other accesses.
package publish

import (
	"errors"
	"sync"
)

var errClosed = errors.New("closed")

type Session struct {
	errMu sync.Mutex
	err   error // want err:"guarded\\(.*\\)"
	done  chan struct{}
	in    chan int
}

func NewSession() *Session {
	return &Session{done: make(chan struct{}), in: make(chan int)}
}

// Close publishes err by closing done.
func (s *Session) Close() { // want Close:"accesses\\(.*\\)"
	s.errMu.Lock()
	if s.err == nil {
		s.err = errClosed
	}
	s.errMu.Unlock()
	close(s.done)
}

// fail records the first error and closes through Close.
func (s *Session) fail(err error) {
	s.errMu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.errMu.Unlock()
	s.Close()
}

// Accept reads err only once done is closed: ordered by the close.
func (s *Session) Accept() (int, error) { // want Accept:"accesses\\(.*\\)"
	select {
	case v := <-s.in:
		return v, nil
	case <-s.done:
		return 0, s.err
	}
}

// Wait reads err after a plain receive from done.
func (s *Session) Wait() error { // want Wait:"accesses\\(.*\\)"
	<-s.done
	return s.err
}

// Peek reads err with no receive before it: a race with Close.
func (s *Session) Peek() error { // want Peek:"accesses\\(.*\\)"
	return s.err // want `unsynchronized read of s.err: \(\*Session\).Peek reads it without s.errMu`
}

func Run(s *Session) { // want Run:"accesses\\(.*\\)"
	go s.fail(errors.New("x"))
	go s.Accept()
	go s.Wait()
	go s.Peek()
}

// Conn is the same shape, but one writer changes err without closing
// done afterwards, so a reader after the receive is not ordered after it.
type Conn struct {
	mu   sync.Mutex
	err  error // want err:"guarded\\(.*\\)"
	done chan struct{}
}

func (c *Conn) Close() { // want Close:"accesses\\(.*\\)"
	c.mu.Lock()
	c.err = errClosed
	c.mu.Unlock()
	close(c.done)
}

func (c *Conn) Reset() { // want Reset:"accesses\\(.*\\)"
	c.mu.Lock()
	c.err = nil
	c.mu.Unlock()
}

func (c *Conn) Wait() error { // want Wait:"accesses\\(.*\\)"
	<-c.done
	return c.err // want `unsynchronized read of c.err: \(\*Conn\).Wait reads it without c.mu`
}

// Pipe's done channel also carries values, so a receive does not prove
// that the close happened.
type Pipe struct {
	mu   sync.Mutex
	err  error // want err:"guarded\\(.*\\)"
	done chan struct{}
}

func (p *Pipe) Close() { // want Close:"accesses\\(.*\\)"
	p.mu.Lock()
	p.err = errClosed
	p.mu.Unlock()
	close(p.done)
}

func (p *Pipe) Fail(err error) { // want Fail:"accesses\\(.*\\)"
	p.mu.Lock()
	p.err = err
	p.mu.Unlock()
	p.done <- struct{}{}
}

func (p *Pipe) Wait() error { // want Wait:"accesses\\(.*\\)"
	<-p.done
	return p.err // want `unsynchronized read of p.err: \(\*Pipe\).Wait reads it without p.mu`
}
