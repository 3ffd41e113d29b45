package unreleased

import "sync"

// A loop that takes the lock, tests, lets it go and tries again, and
// leaves by a break that keeps it: every return holds the lock, which
// nothing else can release. The twins hand the lock to the caller on
// purpose: one is named for it, the other's caller unlocks after it.

type klServer struct{ name string }

func (s *klServer) stop() error { return nil }

var (
	klMu      sync.Mutex
	klServers []*klServer
)

func klAdd(s *klServer) {
	klMu.Lock()
	defer klMu.Unlock()
	klServers = append(klServers, s)
}

func klRemove(s *klServer) {
	klMu.Lock()
	defer klMu.Unlock()
	for i, x := range klServers {
		if x == s {
			klServers = append(klServers[:i], klServers[i+1:]...)
			break
		}
	}
}

func StopAll() error {
	for {
		klMu.Lock()
		if len(klServers) == 0 {
			break
		}
		s := klServers[0]
		klMu.Unlock()
		s.stop()
		klRemove(s)
	}
	return nil // want `return leaves klMu locked: every return keeps it, though StopAll unlocks it on the way, and nothing unlocks it later`
}

// lockWhenEmpty returns holding klMu once no server is left.
func lockWhenEmpty() {
	for {
		klMu.Lock()
		if len(klServers) == 0 {
			return
		}
		s := klServers[0]
		klMu.Unlock()
		klRemove(s)
	}
}

// drainThen keeps klMu for its caller, which unlocks it.
func drainThen() {
	for {
		klMu.Lock()
		if len(klServers) == 0 {
			return
		}
		s := klServers[0]
		klMu.Unlock()
		klRemove(s)
	}
}

func Reset() {
	lockWhenEmpty()
	klServers = nil
	klMu.Unlock()
	drainThen()
	klServers = nil
	klMu.Unlock()
}
