package leaks

// Health is the outcome of one health check.
type Health struct {
	Target string
	Err    error
}

// Probe checks a target: a dial, a ping.
type Probe func(target string) error

// BadMonitor runs health checks in the background and reports them on
// results. Its constructor never makes results, so the field stays nil
// and every checking goroutine blocks for ever on its send: a send on
// a nil channel never proceeds.
type BadMonitor struct {
	probe   Probe
	results chan Health
}

// NewBadMonitor returns a monitor that checks targets with probe.
func NewBadMonitor(probe Probe) *BadMonitor {
	return &BadMonitor{probe: probe}
}

// Check starts checking target; its outcome arrives on Results.
func (m *BadMonitor) Check(target string) {
	go func() {
		m.results <- Health{target, m.probe(target)}
	}()
}

// Results returns the channel the outcomes arrive on.
func (m *BadMonitor) Results() <-chan Health { return m.results }

// GoodMonitor is BadMonitor whose constructor makes results.
type GoodMonitor struct {
	probe   Probe
	results chan Health
}

// NewGoodMonitor returns a monitor that checks targets with probe.
func NewGoodMonitor(probe Probe) *GoodMonitor {
	return &GoodMonitor{probe: probe, results: make(chan Health)}
}

// Check starts checking target; its outcome arrives on Results.
func (m *GoodMonitor) Check(target string) {
	go func() {
		m.results <- Health{target, m.probe(target)}
	}()
}

// Results returns the channel the outcomes arrive on.
func (m *GoodMonitor) Results() <-chan Health { return m.results }
