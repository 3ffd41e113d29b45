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
