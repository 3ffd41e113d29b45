package regress

import (
	"sync"
	"time"
)

// run takes the timer branch only when asked: a goroutine started with
// run(false) never writes timerMode.
type flusher struct {
	mu        sync.Mutex
	timerMode bool
	pending   int
}

func (w *flusher) run(useTimer bool) {
	if useTimer {
		w.mu.Lock()
		w.timerMode = true // want `unsynchronized write to w\.timerMode: the goroutine running \(\*flusher\)\.run writes w\.timerMode, which startTimer reads after the go statement`
		w.mu.Unlock()
		return
	}
	w.mu.Lock()
	w.pending = 0
	w.mu.Unlock()
}

func startPlain(w *flusher) bool {
	go w.run(false)
	return w.timerMode
}

func startTimer(w *flusher) bool {
	go w.run(true)
	return w.timerMode
}

// writeFrame records the payload only when there is one: close frames
// sent with a nil payload never write lastPayload.
type frameWriter struct {
	mu          sync.Mutex
	lastPayload []byte
	frames      int // want frames:`guarded\(mu\)`
}

func (w *frameWriter) writeFrame(payload []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.frames++
	if payload != nil {
		w.lastPayload = payload
	}
}

func sendClose(w *frameWriter) int {
	go w.writeFrame(nil)
	return len(w.lastPayload)
}

// waitAnswer retries with credentials only when the options carry a
// password: a call with answerOptions{} never writes the request.
type answerOptions struct {
	Password string
	Retries  int
}

type dialSession struct {
	req *string
}

func (s *dialSession) waitAnswer(o answerOptions) int {
	n := 0
	for i := 0; i <= o.Retries; i++ {
		if o.Password != "" {
			p := o.Password
			s.req = &p
			continue
		}
		n++
	}
	return n
}

func watchPlain() int {
	s := &dialSession{req: new(string)}
	go func() { _ = *s.req }()
	return s.waitAnswer(answerOptions{}) // ok: the password branch is dead
}

func watchWithPassword(pw string) int {
	s := &dialSession{req: new(string)}
	go func() { _ = *s.req }() // want `unsynchronized read of s\.req: the goroutine running watchWithPassword\.func1 reads s\.req, which watchWithPassword writes after the go statement`
	return s.waitAnswer(answerOptions{Password: pw})
}

// newSampler copies its config into the new object and starts the
// sampling goroutine only when the copy says so: a caller that passes
// samplerConfig{} (Enabled false) gets no goroutine, and may fill the
// object in as it likes. Its twin enables it.
type samplerConfig struct {
	Enabled bool
	Sampled bool
}

type sampler struct {
	cfg     samplerConfig
	samples map[string]int
	stop    chan struct{}
}

func newSampler(c samplerConfig) *sampler {
	s := &sampler{cfg: c, stop: make(chan struct{})}
	if s.cfg.Enabled && s.cfg.Sampled {
		go s.loop()
	}
	return s
}

func (s *sampler) loop() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if s.samples != nil { // want `unsynchronized read of s\.samples: the goroutine running \(\*sampler\)\.loop reads s\.samples, which samplerOn writes after calling newSampler`
				s.samples["tick"]++
			}
		case <-s.stop:
			return
		}
	}
}

func samplerOff() {
	s := newSampler(samplerConfig{})
	s.samples = map[string]int{}
	close(s.stop)
}

func samplerOn() {
	s := newSampler(samplerConfig{Enabled: true, Sampled: true})
	s.samples = map[string]int{}
	close(s.stop)
}

// The same one level deeper: the flags sit in an embedded settings
// struct and in a struct inside it, and the caller's literal fills the
// embedded struct in place, leaving them false.
type AgentSettings struct {
	Name    string
	Enabled bool
	Sampler SamplerSettings
}

type SamplerSettings struct{ Enabled bool }

type agentConfig struct {
	AgentSettings
	host string
}

type agent struct {
	config  agentConfig
	host    string
	harvest map[string]int
	stop    chan struct{}
}

func newAgent(c agentConfig) *agent {
	host := c.host // (reading a field of c spills it to a local)
	if host == "" {
		host = "localhost"
	}
	a := &agent{config: c, stop: make(chan struct{}), host: host}
	if a.config.Enabled {
		if a.config.Sampler.Enabled {
			go a.sample()
		}
	}
	return a
}

func (a *agent) sample() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if a.harvest != nil { // want `unsynchronized read of a\.harvest: the goroutine running \(\*agent\)\.sample reads a\.harvest, which agentOn writes after calling newAgent`
				a.harvest["tick"]++
			}
		case <-a.stop:
			return
		}
	}
}

func agentOff() {
	a := newAgent(agentConfig{AgentSettings: AgentSettings{Name: "test"}})
	a.harvest = map[string]int{}
	close(a.stop)
}

func agentOn() {
	a := newAgent(agentConfig{AgentSettings: AgentSettings{Name: "test", Enabled: true, Sampler: SamplerSettings{Enabled: true}}})
	a.harvest = map[string]int{}
	close(a.stop)
}
