// Package setupfirst: a lazy set-up helper that the package calls under
// its lock (and a test on a fresh object), and a handler that reads
// what the set-up wrote without the lock, but only ever after its
// starter's locked call: the go statement orders the read.
package setupfirst

import (
	"context"
	"sync"
)

type Server struct {
	mutex    sync.Mutex
	closed   bool
	closeCtx context.Context // want closeCtx:`guarded\(mutex\)`
	cancel   context.CancelFunc
}

func (s *Server) init() {
	if s.closeCtx == nil {
		s.closeCtx, s.cancel = context.WithCancel(context.Background())
	}
}

func (s *Server) Serve(conns <-chan int) error { // want Serve:`accesses\(r g:context\.Canceled; r 0\.closeCtx; r 0\.closeCtx \[\(\*setupfirst\.Server\)\.mutex,caller\-held\]; r 0\.closed \[\(\*setupfirst\.Server\)\.mutex\]; recv 1\)`
	s.mutex.Lock()
	if s.closed {
		s.mutex.Unlock()
		return context.Canceled
	}
	s.init()
	s.mutex.Unlock()
	for c := range conns {
		go s.handle(c)
	}
	return nil
}

func (s *Server) handle(c int) {
	<-s.closeCtx.Done()
	_ = c
}

func (s *Server) Close() { // want Close:`accesses\(r 0\.cancel \[\(\*setupfirst\.Server\)\.mutex\]; w 0\.closed \[\(\*setupfirst\.Server\)\.mutex\]\)`
	s.mutex.Lock()
	defer s.mutex.Unlock()
	s.closed = true
	if s.cancel != nil {
		s.cancel()
	}
}
