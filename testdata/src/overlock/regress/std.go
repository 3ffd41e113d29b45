package regress

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

// ---- Standard-library internals are not blocking work: an allocation
// or runtime.GC may start a GC cycle whose code waits on a channel, but
// only the built-in table speaks for the standard library (seen on
// hashicorp/raft as a chain ending in runtime.gcStart).

type Stats struct {
	mu   sync.Mutex
	buf  []byte
	text string
}

func (s *Stats) Compact() {
	s.mu.Lock()
	runtime.GC()
	s.buf = make([]byte, 0, 1<<20)
	s.text = fmt.Sprint(len(s.buf))
	s.mu.Unlock()
}

func (s *Stats) Throttle() {
	s.mu.Lock()
	runtime.GC()
	time.Sleep(time.Millisecond) // want `s.mu held across blocking call to time.Sleep`
	s.mu.Unlock()
}
