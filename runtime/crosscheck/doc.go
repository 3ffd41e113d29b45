// Package crosscheck holds no code, only the test that runs syncvet's
// analyzers over the runtime/ demonstrations and checks them against
// the ground truth those demonstrations establish at run time: every
// Bad variant (which races, deadlocks, over-locks or leaks a goroutine
// when run) must be reported by the analyzer for its hazard, and no
// Good variant may be reported by any of syncvet's own analyzers.
package crosscheck
