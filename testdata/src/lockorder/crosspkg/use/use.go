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
