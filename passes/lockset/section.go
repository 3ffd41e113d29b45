package lockset

import (
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// OneSection returns a write lock that the function holds on every path
// at each of instrs and does not release between any two of them: one
// critical section spans them all. When the first of instrs runs before
// each of the others on every path (a test that the rest depend on), a
// release counts only on a path that does not come back to the first's
// block: an unlock at the end of a loop's iteration is not between a
// test and the operation it guards, since the next iteration tests
// again. A lock the function cannot name (Unknown) spans nothing.
func (f *FuncLocks) OneSection(instrs ...ssa.Instruction) (Lock, bool) {
	if f == nil || len(instrs) == 0 {
		return Lock{}, false
	}
	for _, l := range f.MustHeld(instrs[0]) {
		if l.Read || l.Unknown {
			continue
		}
		all := true
		for _, in := range instrs[1:] {
			if !HasLock(f.MustHeld(in), l.Key) {
				all = false
				break
			}
		}
		if all && !f.releasedBetween(l, instrs) {
			return l, true
		}
	}
	return Lock{}, false
}

// releasedBetween reports whether l may be unlocked (and locked again)
// on a path from one of instrs to another (see OneSection).
func (f *FuncLocks) releasedBetween(l Lock, instrs []ssa.Instruction) bool {
	var avoid *ssa.BasicBlock
	if len(instrs) > 1 {
		avoid = instrs[0].Block()
		for _, y := range instrs[1:] {
			if !ssax.Dominates(instrs[0], y) {
				avoid = nil
				break
			}
		}
	}
	for _, e := range f.Events() {
		if e.Kind != Release || e.Deferred || e.Lock.Key != l.Key || e.Instr.Block() == nil {
			continue
		}
		for _, x := range instrs {
			for _, y := range instrs {
				if x != y && ssax.RunsBeforeAvoiding(x, e.Instr, avoid) && ssax.RunsBeforeAvoiding(e.Instr, y, avoid) {
					return true
				}
			}
		}
	}
	return false
}
