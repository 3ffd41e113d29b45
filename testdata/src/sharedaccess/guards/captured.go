package guards

import "sync"

// A method whose closure captures the receiver keeps the receiver in a
// cell; accesses through the cell are the receiver's own.

type Meter struct {
	mu   sync.Mutex
	n    int // want n:"guarded\\(mu\\)"
	name string
}

func (m *Meter) Inc() { // want Inc:"accesses\\(w 0\\.n \\[\\(\\*guards\\.Meter\\)\\.mu\\]; r 0\\.n \\[\\(\\*guards\\.Meter\\)\\.mu\\]\\)"
	m.mu.Lock()
	m.n++
	m.mu.Unlock()
}

func (m *Meter) Reset() { // want Reset:"accesses\\(w 0\\.n \\[\\(\\*guards\\.Meter\\)\\.mu\\]\\)"
	m.mu.Lock()
	m.n = 0
	m.mu.Unlock()
}

// BAD: the read skips the lock although a closure captures m.
func (m *Meter) Report(emit func(func() string)) int { // want Report:"accesses\\(r 0\\.n\\)"
	v := m.n // want `unsynchronized read of m.n: \(\*Meter\).Report reads it without m.mu, which \(\*Meter\).Inc writes holding it`
	emit(func() string { return m.name })
	return v
}

// GOOD: the same shape under the lock.
func (m *Meter) Snapshot(emit func(func() string)) int { // want Snapshot:"accesses\\(r 0\\.n \\[\\(\\*guards\\.Meter\\)\\.mu\\]\\)"
	m.mu.Lock()
	v := m.n
	m.mu.Unlock()
	emit(func() string { return m.name })
	return v
}
