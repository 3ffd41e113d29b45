package blocking

import (
	"fmt"
	"sort"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/passes/lockset"
)

// maxReleases caps Summary.Releases.
const maxReleases = 8

// releaseStates computes, for every instruction of fn, the locks that
// fn may have released on some path before it and not re-acquired since
// (a lock the caller holds, unlocked to wait: mu.Unlock(); <-ch;
// mu.Lock()). It returns nil when fn releases nothing.
//
// An Unlock of a sync.Locker interface that names no mutex (a
// hand-written condition variable's Wait: c.L.Unlock(); <-c.signal)
// also adds an Unknown lock of the anonymous class: a caller's held
// mutex may be the one behind it.
func releaseStates(ls *lockset.Result, fl *lockset.FuncLocks, fn *ssa.Function) map[ssa.Instruction][]lockset.Lock {
	if fl == nil || len(fn.Blocks) == 0 {
		return nil
	}
	evs := map[ssa.Instruction][]lockset.Event{}
	any := false
	for _, e := range fl.Events() {
		if e.Deferred {
			continue
		}
		evs[e.Instr] = append(evs[e.Instr], e)
		if e.Kind == lockset.Release {
			any = true
		}
	}
	if !any {
		return nil
	}
	transfer := func(s []lockset.Lock, instr ssa.Instruction) []lockset.Lock {
		for _, e := range evs[instr] {
			switch e.Kind {
			case lockset.Release:
				s = lockset.AddLock(s, e.Lock)
				if c, ok := instr.(ssa.CallInstruction); ok && ls.OpaqueLocker(c) {
					s = lockset.AddLock(s, opaqueLocker)
				}
			case lockset.Acquire:
				s = lockset.RemoveLock(s, e.Lock.Key)
				if c, ok := instr.(ssa.CallInstruction); ok && ls.OpaqueLocker(c) {
					s = lockset.RemoveLock(s, opaqueLocker.Key)
				}
			}
		}
		return s
	}
	in := make([][]lockset.Lock, len(fn.Blocks))
	for changed, iter := true, 0; changed && iter < 100; iter++ {
		changed = false
		for _, b := range fn.Blocks {
			s := in[b.Index]
			for _, instr := range b.Instrs {
				s = transfer(s, instr)
			}
			for _, succ := range b.Succs {
				u := in[succ.Index]
				for _, l := range s {
					if !lockset.HasLock(u, l.Key) {
						u = lockset.AddLock(u, l)
						changed = true
					}
				}
				in[succ.Index] = u
			}
		}
	}
	out := map[ssa.Instruction][]lockset.Lock{}
	for _, b := range fn.Blocks {
		s := in[b.Index]
		for _, instr := range b.Instrs {
			if len(s) > 0 {
				out[instr] = s
			}
			s = transfer(s, instr)
		}
	}
	return out
}

// opaqueLocker stands for the mutex behind a sync.Locker interface that
// names none (see releaseStates).
var opaqueLocker = lockset.Lock{Key: "?locker", Name: "a sync.Locker", Class: "*sync.Locker", Unknown: true}

// refsOf expresses locks of fn relative to its parameters, sorted and
// capped, dropping those the caller could never name.
func refsOf(fl *lockset.FuncLocks, locks []lockset.Lock) []lockset.LockRef {
	var refs []lockset.LockRef
	for _, l := range locks {
		r := fl.Ref(l)
		r.Via = nil
		refs = append(refs, r)
	}
	sort.Slice(refs, func(i, j int) bool { return refKey(refs[i]) < refKey(refs[j]) })
	var out []lockset.LockRef
	for i, r := range refs {
		if i > 0 && refKey(refs[i-1]) == refKey(r) {
			continue
		}
		out = append(out, r)
	}
	if len(out) > maxReleases {
		out = out[:maxReleases]
	}
	return out
}

func refKey(r lockset.LockRef) string {
	return fmt.Sprintf("%d|%d|%s|%v|%s|%t", r.Kind, r.Index, r.Global, r.Path, r.Class, r.Read)
}
