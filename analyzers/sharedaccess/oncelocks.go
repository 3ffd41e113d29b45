package sharedaccess

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/goroutines"
	"github.com/syncvet/syncvet/passes/lockset"
)

// onceLock stands for the ordering Once.Do provides: the callback's
// writes happen before every Do returns.
var onceLock = lockset.Lock{Key: "once", Name: "once", Class: "sync.Once"}

// callerLock stands for the lock a "...Locked" function's caller holds.
var callerLock = lockset.Lock{Key: "caller", Name: "the caller's lock", Class: "caller-held"}

// afterOnce reports whether a call to Once.Do dominates instr.
func (fr *frame) afterOnce(instr ssa.Instruction) bool {
	for _, c := range fr.c.st.onceCalls(fr.fn) {
		if fr.c.st.reach.dominates(c, instr, false) {
			return true
		}
	}
	return false
}

// onceCalls returns fn's calls to (*sync.Once).Do, computed once per
// function: afterOnce asks for every access of every frame.
func (st *state) onceCalls(fn *ssa.Function) []*ssa.Call {
	if cs, ok := st.onceDo[fn]; ok {
		return cs
	}
	var cs []*ssa.Call
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if c, ok := in.(*ssa.Call); ok {
				if syncapi.Call(&c.Call).Kind == syncapi.OnceDo {
					cs = append(cs, c)
				}
			}
		}
	}
	if st.onceDo == nil {
		st.onceDo = make(map[*ssa.Function][]*ssa.Call)
	}
	st.onceDo[fn] = cs
	return cs
}

// customLocks returns pseudo-locks for calls to lock-like methods of
// types outside sync (RWLock, Acquire, ...) that dominate instr, so that
// hand-made mutexes are not mistaken for no synchronisation.
func (fr *frame) customLocks(instr ssa.Instruction) []lockset.Lock {
	var out []lockset.Lock
	for _, cc := range fr.c.st.lockLikeCalls(fr.fn) {
		if fr.c.st.reach.dominates(cc.call, instr, false) {
			out = append(out, lockset.Lock{Key: "custom:" + cc.class, Name: cc.name, Class: "custom:" + cc.class})
		}
	}
	for _, g := range fr.c.st.casGates(fr.fn) {
		if instr.Block() != nil && g.won.Dominates(instr.Block()) {
			out = append(out, lockset.Lock{Key: "cas:" + g.class, Name: g.name, Class: "cas:" + g.class})
		}
	}
	return out
}

// casGate is the branch taken when a compare-and-swap of a field from
// one constant to another succeeds: one goroutine at a time gets past it
// while the field holds the new value (a spin lock, or a one-shot set-up
// when nothing sets the old value back), so what runs there is exclusive
// with what runs past another such gate of the field.
type casGate struct {
	won   *ssa.BasicBlock
	class string // the field: gates of one field exclude each other
	name  string
}

// casGates returns fn's gates, computed once per function.
func (st *state) casGates(fn *ssa.Function) []casGate {
	if gs, ok := st.casMemo[fn]; ok {
		return gs
	}
	var gs []casGate
	for _, b := range fn.Blocks {
		br, ok := ssax.BranchOf(b)
		if !ok {
			continue
		}
		won := br.OnTrue // (if !CAS(...) { return } too)
		if len(won.Preds) != 1 {
			continue
		}
		call, ok := br.Cond.(*ssa.Call)
		if !ok || !syncapi.CompareAndSwap(&call.Call) {
			continue
		}
		args := call.Call.Args
		if len(args) != 3 {
			continue
		}
		old, ok1 := args[1].(*ssa.Const)
		nu, ok2 := args[2].(*ssa.Const)
		if !ok1 || !ok2 || old.Value == nil || nu.Value == nil || old.Value.ExactString() == nu.Value.ExactString() {
			continue
		}
		fa, ok := args[0].(*ssa.FieldAddr)
		if !ok {
			continue
		}
		f := ssax.FieldOf(fa)
		if f == nil {
			continue
		}
		class := types.TypeString(fa.X.Type(), nil) + "." + f.Name()
		gs = append(gs, casGate{won: won, class: class, name: "the compare-and-swap of " + f.Name()})
	}
	if st.casMemo == nil {
		st.casMemo = map[*ssa.Function][]casGate{}
	}
	st.casMemo[fn] = gs
	return gs
}

// customCall is a call to a hand-made lock: a function outside sync
// whose name says it acquires something.
type customCall struct {
	call  *ssa.Call
	name  string
	class string // the receiver's type: Lock and WaitAndLock of one gate are one lock
}

// lockLikeCalls returns fn's calls to hand-made locks, computed once per
// function: customLocks asks for every access of every frame.
func (st *state) lockLikeCalls(fn *ssa.Function) []customCall {
	if cs, ok := st.customCalls[fn]; ok {
		return cs
	}
	var cs []customCall
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			c, ok := in.(*ssa.Call)
			if !ok {
				continue
			}
			var name, class string
			if c.Call.IsInvoke() {
				name = c.Call.Method.Name()
				class = types.TypeString(c.Call.Value.Type(), nil)
			} else if callee := c.Call.StaticCallee(); callee != nil {
				if callee.Pkg != nil && syncapi.IsSyncPackage(callee.Pkg.Pkg.Path()) {
					continue
				}
				name = callee.Name()
				if lockLike(name) && st.realLocks(callee) {
					continue // lockset follows the locks it takes: withLock(f), lock()
				}
				if recv := callee.Signature.Recv(); recv != nil {
					class = types.TypeString(recv.Type(), nil)
				}
			} else {
				continue
			}
			if class == "" {
				class = name
			}
			if lockLike(name) {
				cs = append(cs, customCall{c, name, class})
			}
		}
	}
	if st.customCalls == nil {
		st.customCalls = make(map[*ssa.Function][]customCall)
	}
	st.customCalls[fn] = cs
	return cs
}

// realLocks reports whether lockset's summary of fn says it takes,
// acquires or releases sync locks: a helper whose effect lockset
// already gives (m.withLock(f) takes m.mu and releases it; m.lock()
// leaves it held), not a hand-made lock to be guessed from its name.
//
// A wrapper type's Lock or RLock method that takes its mutex on some
// paths only (if !o.off { o.m.Lock() }, a lock that can be switched off)
// leaves nothing held that lockset can name: it is a hand-made lock too.
func (st *state) realLocks(fn *ssa.Function) bool {
	sum := st.locks.Summary(fn)
	if sum == nil {
		return false
	}
	wrapper := fn.Signature.Recv() != nil && (fn.Name() == "Lock" || fn.Name() == "RLock")
	takes := 0
	for _, t := range sum.Takes {
		if !t.Maybe || !wrapper {
			takes++
		}
	}
	return len(sum.Acquires)+takes+len(sum.Releases)+len(sum.Reacquires) > 0
}

// evBarrier marks a synctest.Wait: everything other goroutines did
// before blocking happens before it.
const evBarrier goroutines.EventKind = 100

// evHandoff is an Unlock of a mutex the goroutine did not lock (a
// release); evLock is any Lock (an acquire of a handed-off mutex).
const (
	evHandoff goroutines.EventKind = 101
	evLock    goroutines.EventKind = 102
)

// lockLike reports whether a function name suggests it takes a lock:
// lock, rlock, RWLock, lockSlow, acquire, acquireSema...
func lockLike(name string) bool {
	lower := strings.ToLower(name)
	for _, bad := range []string{"unlock", "block", "clock", "deadlock", "lockosthread", "locked"} {
		if strings.Contains(lower, bad) {
			return false
		}
	}
	return strings.HasPrefix(lower, "lock") || strings.HasSuffix(lower, "lock") || strings.HasPrefix(lower, "acquire")
}
