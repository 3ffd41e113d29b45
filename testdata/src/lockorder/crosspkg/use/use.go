package use // want package:`edges\(lib.RegistryMu->\(\*lib.Server\).mu\)`

import "lockorder/crosspkg/lib"

// Inverts lib's order: RegistryMu then Server.mu through Count.
func Snapshot(s *lib.Server) int {
	lib.RegistryMu.Lock()
	defer lib.RegistryMu.Unlock()
	return s.Count() // want `lock order inversion: Server.mu acquired while holding lib.RegistryMu \(via \(\*lib.Server\).Count\); \(\*lib.Server\).Register acquires them in the other order`
}

// Double lock through an imported wrapper.
func Twice(s *lib.Server) {
	s.Lock()
	defer s.Unlock()
	s.Count() // want `double lock: \(\*lib.Server\).Count locks s.mu while it is already held`
}

// Clean twin: Other.mu before Server.mu, as in lib.
func Consistent(o *lib.Other, s *lib.Server) {
	o.With(s)
	s.Lock()
	s.Unlock()
}

// Drain may leave s.mu locked (an imported Leaks fact), so Count can
// block for ever.
func Reset(s *lib.Server) int {
	s.Drain()
	return s.Count() // want `double lock: s.mu locked by \(\*lib.Server\).Count while it may still be held: \(\*lib.Server\).Drain returns without unlocking it on some paths`
}

// Clean twin: DrainOK always unlocks.
func ResetOK(s *lib.Server) int {
	s.DrainOK()
	return s.Count()
}
