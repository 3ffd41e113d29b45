package regress

import (
	"sync"
	"time"
)

// A writer that sets itself up on first use, behind a flag it tests and
// sets under its lock, and starts its flush loop last (zap's
// BufferedWriteSyncer): later writes find the flag set and never make
// the channels again, so the loop's reads of them race with nothing.
type onceSyncer struct {
	mu          sync.Mutex
	initialized bool
	buf         []byte // want buf:"guarded\\(mu\\)"
	stop        chan struct{}
	done        chan struct{}
}

func (s *onceSyncer) initialize() {
	s.stop = make(chan struct{})
	s.done = make(chan struct{})
	s.initialized = true
	go s.flushLoop()
}

func (s *onceSyncer) flushLoop() {
	defer close(s.done)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			s.mu.Lock()
			s.buf = s.buf[:0]
			s.mu.Unlock()
		case <-s.stop:
			return
		}
	}
}

func (s *onceSyncer) Write(b []byte) { // want Write:"accesses\\(w 0\\.buf \\[\\(\\*regress\\.onceSyncer\\)\\.mu\\]; r 0\\.buf \\[\\(\\*regress\\.onceSyncer\\)\\.mu\\]; r 0\\.buf\\[\\] \\[\\(\\*regress\\.onceSyncer\\)\\.mu\\]; w 0\\.done \\[\\(\\*regress\\.onceSyncer\\)\\.mu,caller-held\\]; r 0\\.done \\[\\(\\*regress\\.onceSyncer\\)\\.mu\\]; w 0\\.initialized \\[\\(\\*regress\\.onceSyncer\\)\\.mu,caller-held\\]; r 0\\.initialized \\[\\(\\*regress\\.onceSyncer\\)\\.mu\\]; w 0\\.stop \\[\\(\\*regress\\.onceSyncer\\)\\.mu,caller-held\\]; r 0\\.stop \\[\\(\\*regress\\.onceSyncer\\)\\.mu\\]; r 1\\[\\] \\[\\(\\*regress\\.onceSyncer\\)\\.mu\\]; close 0\\.done; recv 0\\.stop\\)"
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.initialized {
		s.initialize()
	}
	s.buf = append(s.buf, b...)
}

func goodWriteTwice() {
	s := &onceSyncer{}
	s.Write([]byte("a"))
	s.Write([]byte("b"))
}

// The same writer without the flag: every write makes the channels
// again while the loop started by the first one reads them.
type restartSyncer struct {
	mu   sync.Mutex
	buf  []byte // want buf:"guarded\\(mu\\)"
	stop chan struct{}
	done chan struct{}
}

func (s *restartSyncer) initialize() {
	s.stop = make(chan struct{})
	s.done = make(chan struct{})
	go s.flushLoop()
}

func (s *restartSyncer) flushLoop() {
	defer close(s.done) // want `unsynchronized read of s.done: the goroutine running \(\*restartSyncer\)\.flushLoop reads s.done, which badWriteTwice writes after calling \(\*restartSyncer\)\.Write`
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			s.mu.Lock()
			s.buf = s.buf[:0]
			s.mu.Unlock()
		case <-s.stop: // want `unsynchronized read of s.stop: the goroutine running \(\*restartSyncer\)\.flushLoop reads s.stop, which badWriteTwice writes after calling \(\*restartSyncer\)\.Write`
			return
		}
	}
}

func (s *restartSyncer) Write(b []byte) { // want Write:"accesses\\(w 0\\.buf \\[\\(\\*regress\\.restartSyncer\\)\\.mu\\]; r 0\\.buf \\[\\(\\*regress\\.restartSyncer\\)\\.mu\\]; r 0\\.buf\\[\\] \\[\\(\\*regress\\.restartSyncer\\)\\.mu\\]; w 0\\.done \\[\\(\\*regress\\.restartSyncer\\)\\.mu,caller-held\\]; r 0\\.done \\[\\(\\*regress\\.restartSyncer\\)\\.mu\\]; w 0\\.stop \\[\\(\\*regress\\.restartSyncer\\)\\.mu,caller-held\\]; r 0\\.stop \\[\\(\\*regress\\.restartSyncer\\)\\.mu\\]; r 1\\[\\] \\[\\(\\*regress\\.restartSyncer\\)\\.mu\\]; close 0\\.done; recv 0\\.stop\\)"
	s.mu.Lock()
	defer s.mu.Unlock()
	s.initialize()
	s.buf = append(s.buf, b...)
}

func badWriteTwice() {
	s := &restartSyncer{}
	s.Write([]byte("a"))
	s.Write([]byte("b"))
}
