package regress

import (
	"net"
	"sync"
)

// A server that calls a function its user gives it once it listens
// (dns.Server's NotifyStartedFunc). The user hands it the Done of a
// WaitGroup, or the Unlock of a mutex it locked, and waits: what the
// server did before the call happens before the wait returns.
type notifyServer struct {
	Listener net.Listener
	Started  func()
}

func (s *notifyServer) Serve() error { // want Serve:"accesses\\(w 0.Listener; r 0.Started\\)"
	l, err := net.Listen("tcp", ":0")
	if err != nil {
		return err
	}
	s.Listener = l
	if s.Started != nil {
		s.Started()
	}
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		c.Close()
	}
}

func goodStartedDone() net.Addr {
	var wg sync.WaitGroup
	wg.Add(1)
	s := &notifyServer{Started: wg.Done}
	go func() {
		s.Serve()
	}()
	wg.Wait()
	return s.Listener.Addr()
}

func goodStartedUnlock() net.Addr {
	var mu sync.Mutex
	s := &notifyServer{Started: mu.Unlock}
	mu.Lock()
	go s.Serve()
	mu.Lock()
	return s.Listener.Addr()
}

func goodStartedUnlockClosure() net.Addr {
	var mu sync.Mutex
	s := &notifyServer{Started: mu.Unlock}
	mu.Lock()
	go func() {
		s.Serve()
	}()
	mu.Lock()
	return s.Listener.Addr()
}

// The same server, started by a user who does not wait for it.
type unwaitedServer struct {
	Listener net.Listener
	Started  func()
}

func (s *unwaitedServer) Serve() error { // want Serve:"accesses\\(w 0.Listener; r 0.Started\\)"
	l, err := net.Listen("tcp", ":0")
	if err != nil {
		return err
	}
	s.Listener = l // want `unsynchronized write to s.Listener: the goroutine running badStartedNotWaited.func1 writes s.Listener, which badStartedNotWaited reads after the go statement`
	if s.Started != nil {
		s.Started()
	}
	return l.Close()
}

func badStartedNotWaited() net.Addr {
	var wg sync.WaitGroup
	wg.Add(1)
	s := &unwaitedServer{Started: wg.Done}
	go func() {
		s.Serve()
	}()
	return s.Listener.Addr()
}
