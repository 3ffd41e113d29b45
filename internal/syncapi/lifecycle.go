package syncapi

import "strings"

// Role is what a method's name says about the life of its receiver.
// Libraries follow these conventions closely enough that the checks
// use them where the code alone cannot tell: a Start method runs
// before the object is shared, a Close method after its users stop.
type Role uint8

// The roles a name can announce.
const (
	// Setup: the method prepares its object before use (Start, Init,
	// Setup, Open and names that begin with them).
	Setup Role = iota
	// Stop: the method ends what its object runs (Stop, Close,
	// Shutdown, Cancel, Quit, Terminate, Halt and names that begin
	// with them: StopAll, CloseSend).
	Stop
	// Teardown: the method runs after the object's users are done and
	// may reset its state: the Stop names and Reset, Release, Cleanup,
	// Dispose, Teardown.
	Teardown
	// EndsHandle: the method, exactly so named, ends what its receiver
	// stands for (a transaction, a session, a guard): End, Close,
	// Unlock, Commit, Rollback and their kin.
	EndsHandle
	// Closer: the method, exactly so named (or its unexported form),
	// is how a type promises its goroutines end: Close, Stop,
	// Shutdown.
	Closer
)

var (
	setupPrefixes    = []string{"Start", "Init", "Setup", "Open"}
	stopPrefixes     = []string{"Stop", "Close", "Shutdown", "Cancel", "Quit", "Terminate", "Halt"}
	teardownPrefixes = append(append([]string(nil), stopPrefixes...), "Reset", "Release", "Cleanup", "Dispose", "Teardown")
	handleEnds       = []string{"End", "Close", "Unlock", "RUnlock", "Release", "Commit", "Rollback", "Done", "Finish", "Abort", "Discard"}
	closerNames      = []string{"Close", "Stop", "Shutdown"}
)

// Named reports whether a function or method named name plays role r.
func Named(name string, r Role) bool {
	switch r {
	case Setup:
		return hasAnyPrefix(name, setupPrefixes)
	case Stop:
		return hasAnyPrefix(name, stopPrefixes)
	case Teardown:
		return hasAnyPrefix(name, teardownPrefixes)
	case EndsHandle:
		for _, n := range handleEnds {
			if name == n {
				return true
			}
		}
	case Closer:
		for _, n := range closerNames {
			if strings.EqualFold(name, n) {
				return true
			}
		}
	}
	return false
}

// CloserNames are the exported method names that play the Closer role,
// in the order a type's own method is looked for.
func CloserNames() []string {
	return append([]string(nil), closerNames...)
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
