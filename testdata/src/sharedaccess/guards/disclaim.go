package guards

import "sync"

// A scope whose fields its mutex guards.
type DcScope struct {
	mu    sync.RWMutex
	trace string // want trace:"guarded\\(mu\\)"
	tags  map[string]string
}

func (s *DcScope) SetTrace(t string) { // want SetTrace:"accesses\\(w 0\\.trace \\[\\(\\*guards\\.DcScope\\)\\.mu\\]\\)"
	s.mu.Lock()
	s.trace = t
	s.mu.Unlock()
}

func (s *DcScope) Clear() { // want Clear:"accesses\\(w 0\\.trace \\[\\(\\*guards\\.DcScope\\)\\.mu\\]\\)"
	s.mu.Lock()
	s.trace = ""
	s.mu.Unlock()
}

func (s *DcScope) Apply(ev map[string]string) { // want Apply:"accesses\\(r 0\\.trace \\[\\(\\*guards\\.DcScope\\)\\.mu\\]; w 1\\{\\} \\[\\(\\*guards\\.DcScope\\)\\.mu\\]\\)"
	s.mu.RLock()
	defer s.mu.RUnlock()
	ev["trace"] = s.trace
	ev["dsc"] = SamplingFromScope(s)
}

// SamplingFromScope reads the scope's fields. The fields are not
// thread safe, and this function should only be called within scope
// methods.
func SamplingFromScope(s *DcScope) string { // want SamplingFromScope:"accesses\\(r 0\\.trace\\)"
	return s.trace + "/sampled" // ok: the doc disclaims concurrent use; callers hold s.mu
}

// SamplingBare is the same without the disclaimer: a read that
// skips the lock every other access takes.
func SamplingBare(s *DcScope) string { // want SamplingBare:"accesses\\(r 0\\.trace\\)"
	return s.trace + "/sampled" // want `unsynchronized read of s.trace: SamplingBare reads it without s.mu, which \(\*DcScope\).SetTrace writes holding it`
}

// A service whose state its mutex guards.
type Service struct {
	mu    sync.Mutex
	state int // want state:"guarded\\(mu\\)"
	runs  int // want runs:"guarded\\(mu\\)"
}

func (s *Service) Start() { // want Start:"accesses\\(w 0\\.runs \\[\\(\\*guards\\.Service\\)\\.mu\\]; r 0\\.runs \\[\\(\\*guards\\.Service\\)\\.mu\\]; w 0\\.state \\[\\(\\*guards\\.Service\\)\\.mu\\]\\)"
	s.mu.Lock()
	s.state = 1
	s.runs++
	s.mu.Unlock()
}

func (s *Service) Stop() { // want Stop:"accesses\\(w 0\\.state \\[\\(\\*guards\\.Service\\)\\.mu\\]\\)"
	s.mu.Lock()
	s.state = 2
	s.mu.Unlock()
}

func (s *Service) Running() bool { // want Running:"accesses\\(r 0\\.state \\[\\(\\*guards\\.Service\\)\\.mu\\]\\)"
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state == 1
}

// StateUnsafe reads without the lock, as the Unsafe at the end of its
// name says (river's StoppedUnsafe).
func (s *Service) StateUnsafe() int { // want StateUnsafe:"accesses\\(r 0\\.state\\)"
	return s.state
}

// Runs returns the count without taking the lock: its callers hold it.
func (s *Service) Runs() int { // want Runs:"accesses\\(r 0\\.runs\\)"
	return s.runs
}

// State reads it without the lock and without a word about it.
func (s *Service) State() int { // want State:"accesses\\(r 0\\.state\\)"
	return s.state // want `unsynchronized read of s.state: \(\*Service\).State reads it without s.mu, which \(\*Service\).Start writes holding it`
}
