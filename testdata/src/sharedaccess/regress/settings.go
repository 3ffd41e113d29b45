package regress

import "sync"

// A script that either loads its digest on first use, under its lock,
// or computes it at birth and only reads it: the choice is a setting
// fixed while the script is made (a functional option), so every
// goroutine running exec on one script takes the same side of the test
// and the unlocked read never meets the locked write.

type stOption func(*stScript)

func stWithLoad(on bool) stOption {
	return func(s *stScript) { s.load = on }
}

type stScript struct {
	body string
	load bool
	mu   sync.RWMutex
	sha1 string // want sha1:"guarded\\(mu\\)"
}

func newSTScript(body string, opts ...stOption) *stScript {
	s := &stScript{body: body}
	for _, o := range opts {
		o(s)
	}
	if !s.load {
		s.sha1 = "sum:" + body
	}
	return s
}

func (s *stScript) exec() string {
	var sha string
	if s.load {
		s.mu.RLock()
		sha = s.sha1
		s.mu.RUnlock()
		if sha == "" {
			s.mu.Lock()
			if s.sha1 == "" {
				s.sha1 = "loaded:" + s.body
			}
			sha = s.sha1
			s.mu.Unlock()
		}
	} else {
		sha = s.sha1
	}
	return sha
}

func runSTScripts() {
	s := newSTScript("x", stWithLoad(true))
	done := make(chan bool)
	for range 10 {
		go func() {
			s.exec()
			done <- true
		}()
	}
	for range 10 {
		<-done
	}
}

// The same test on a counter that the goroutines keep changing: both
// sides can run on one object.
type stCounter struct {
	mu    sync.Mutex
	count int // want count:"guarded\\(mu\\)"
	last  string
}

func (c *stCounter) exec() string {
	var s string
	if c.count > 0 {
		c.mu.Lock()
		c.last = "loaded" // want `unsynchronized write to c.last: goroutines running runSTCounters.func1 may run at once; one writes c.last while another reads it`
		c.mu.Unlock()
	} else {
		s = c.last
	}
	c.mu.Lock()
	c.count++ // want `unsynchronized write to c.count: goroutines running runSTCounters.func1 may run at once; one writes c.count while another reads it`
	c.mu.Unlock()
	return s
}

func runSTCounters() {
	c := &stCounter{}
	done := make(chan bool)
	for range 10 {
		go func() {
			c.exec()
			done <- true
		}()
	}
	for range 10 {
		<-done
	}
}
