package closures

import "sync"

// Start leaves a goroutine running that writes s.running; the caller
// reads it after Start returns.
type Loop struct {
	running bool
	done    chan struct{}
	mu      sync.Mutex
	count   int // want count:"guarded\\(mu\\)"
}

func (l *Loop) run() {
	l.running = true // want `unsynchronized write to l\.running: the goroutine running \(\*Loop\)\.run writes l\.running, which useLoop reads after calling \(\*Loop\)\.Start`
	close(l.done)
}

func (l *Loop) Start() { go l.run() } // want Start:`accesses\(r 0\.done; w 0\.running; close 0\.done\)`

func (l *Loop) Wait() { <-l.done } // want Wait:`accesses\(r 0\.done; recv 0\.done\)`

func useLoop() bool {
	l := &Loop{done: make(chan struct{})}
	l.Start()
	return l.running
}

func useLoopWait() bool {
	l := &Loop{done: make(chan struct{})}
	l.Start()
	l.Wait()
	return l.running
}

func (l *Loop) tick() {
	l.mu.Lock()
	l.count++
	l.mu.Unlock()
}

func (l *Loop) StartTicker() { go l.tick() } // want StartTicker:"accesses\\(w 0\\.count \\[\\(\\*closures\\.Loop\\)\\.mu\\]; r 0\\.count \\[\\(\\*closures\\.Loop\\)\\.mu\\]\\)"

func useTicker() int {
	l := &Loop{}
	l.StartTicker()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.count
}

// A scheduler loop gated on the writer's state: the next iteration does
// not run while the goroutine started by the previous one writes
// (net/http h2 scheduleFrameWrite).
type sched struct {
	busy bool
	buf  []byte
}

func (s *sched) write() { s.buf = append(s.buf[:0], 1) }

func (s *sched) start() {
	s.buf = s.buf[:0]
	s.busy = true
	go s.write()
}

func (s *sched) schedule(n int) {
	for i := 0; i < n && !s.busy; i++ {
		s.start()
	}
}

// sum joins its goroutine before it returns: its callers' later writes
// come after the goroutine's reads.
type summer struct{ vals []int }

func (s *summer) sum() int {
	n := 0
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, v := range s.vals {
			n += v
		}
	}()
	wg.Wait()
	return n
}

func (s *summer) reset() int {
	n := s.sum()
	s.vals = nil // ok: sum waited for its goroutine
	return n
}

// sumLater leaves its goroutine running.
func (s *summer) sumLater(out chan<- int) {
	go func() {
		n := 0
		for _, v := range s.vals { // want `unsynchronized read of s\.vals: the goroutine running \(\*summer\)\.sumLater\.func1 reads s\.vals, which \(\*summer\)\.resetLater writes after calling \(\*summer\)\.sumLater`
			n += v
		}
		out <- n
	}()
}

func (s *summer) resetLater(out chan<- int) {
	s.sumLater(out)
	s.vals = nil
}
