package sharedaccess

import (
	"fmt"
	"go/ast"
	"go/types"
	"regexp"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/lockset"
)

type funcNotes struct {
	ignore bool
	held   []lockset.Lock
}

// callerLocked reports whether fn's name or doc comment says that its
// caller holds the lock, memoized per function (accesses ask it one by
// one).
func (st *state) callerLocked(fn *ssa.Function) bool {
	if v, ok := st.callerLockedMemo[fn]; ok {
		return v
	}
	v := false
	for f := fn; f != nil; f = f.Parent() {
		if f.Parent() == nil && nameSaysLocked(f) || docSaysLocked(f) {
			v = true
			break
		}
		if f.Parent() != nil && st.spawnEntry(f) {
			break // a goroutine body: its parent's caller holds nothing here
		}
	}
	if st.callerLockedMemo == nil {
		st.callerLockedMemo = map[*ssa.Function]bool{}
	}
	st.callerLockedMemo[fn] = v
	return v
}

// heldDoc matches the conventions of doc comments that say the caller
// holds a lock: "Lock should be held", "c.mu must be held", "Caller
// must hold mu", "must be called with s.mu locked", "Should be called
// with lock held", "Called with the lock held", "Assumes the lock is
// held", "mu is held by the caller".
var heldDoc = regexp.MustCompile(`(?i)(\block|\bmutex|\bmu)\S*\s+(should|must|needs to|has to|is expected to)\s+be\s+(held|locked|acquired|taken)|\bcaller\s+(must|should)\s+hold\b|(must|should)\s+(only\s+)?be\s+called\s+(with|while holding|holding)\s+\S+(\s+(held|locked))?|\bcalled\s+with\s+(the\s+)?\S*\s*(lock|mutex|mu)\S*\s+(held|locked)|\bassumes?\s+(that\s+)?\S*\s*(lock|mutex|mu)\S*\s+is\s+(held|locked)|(\block|\bmutex|\bmu)\S*\s+is\s+(held|locked)\s+(on\s+entry|by\s+(the\s+)?caller)`)

// mentionsHeld reports whether a doc comment says the caller holds a
// lock: a cheap test for the words first, the pattern only then.
func mentionsHeld(doc string) bool {
	d := strings.ToLower(doc)
	if !strings.Contains(d, "held") && !strings.Contains(d, "hold") && !strings.Contains(d, "locked") && !strings.Contains(d, "acquired") && !strings.Contains(d, "taken") {
		return false
	}
	return heldDoc.MatchString(doc)
}

// docSaysLocked reports whether fn's doc comment says its caller holds a
// lock (nats-server's "Lock should be held" on every such helper).
func docSaysLocked(fn *ssa.Function) bool {
	fd, ok := fn.Syntax().(*ast.FuncDecl)
	return ok && fd.Doc != nil && mentionsHeld(fd.Doc.Text())
}

// disclaimsSafety reports whether the name or doc comment of fn (or of
// the function declaring it) says it is not safe for concurrent use, which
// leaves the locking to its callers ("fields on the scope are not
// thread safe, and this function should only be called within scope
// methods"): an unguarded access in it is not an inconsistency of the
// package's locking.
func disclaimsSafety(fn *ssa.Function) bool {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	if unsafeName(ssax.Origin(fn).Name()) {
		return true
	}
	fd, ok := fn.Syntax().(*ast.FuncDecl)
	return ok && fd.Doc != nil && unsafeDoc.MatchString(fd.Doc.Text())
}

// unsafeName reports a name that says its function does no locking of
// its own, by the convention of UnsafeLoad, unsafeCommit and
// unsafeBegin (the prefix unsafe, then a new word) or of StoppedUnsafe
// (a word, then Unsafe at the end).
func unsafeName(name string) bool {
	rest, ok := strings.CutPrefix(name, "Unsafe")
	if !ok {
		rest, ok = strings.CutPrefix(name, "unsafe")
	}
	if ok && rest != "" && rest[0] >= 'A' && rest[0] <= 'Z' {
		return true
	}
	head, ok := strings.CutSuffix(name, "Unsafe")
	return ok && head != "" && head[len(head)-1] >= 'a' && head[len(head)-1] <= 'z'
}

// unsafeDoc matches a doc comment that disclaims concurrent use or
// locking: "not thread safe", "is not goroutine-safe", "not safe for
// concurrent use", "without taking the lock", "without locking".
var unsafeDoc = regexp.MustCompile(`(?i)\bnot\s+(thread|goroutine|concurrency)[- ]?safe\b|\bnot\s+safe\s+for\s+concurrent\b|\bwithout\s+(locking|(taking|acquiring|holding)\s+(a|the|any)\s+(lock|mutex))\b`)

// receiverLocks returns, for a method whose caller holds a lock by its
// contract, the mutex fields of its receiver's type: the lock the
// caller holds is one of them.
func receiverLocks(fn *ssa.Function) []lockset.Lock {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	recv := fn.Signature.Recv()
	if recv == nil {
		return nil
	}
	t := types.Unalias(recv.Type())
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, ok := t.(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return nil
	}
	st, ok := n.Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	var out []lockset.Lock
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		switch syncapi.LockType(f.Type()) {
		case syncapi.Mutex, syncapi.RWMutex:
			class := "(*" + n.Obj().Pkg().Path() + "." + n.Obj().Name() + ")." + f.Name()
			out = append(out, lockset.Lock{Key: "caller:" + class, Name: "the caller's " + f.Name(), Class: class})
		}
	}
	return out
}

// nameSaysLocked reports whether fn's name says its caller holds the
// lock ("...Locked", "..._l"), or that it works on an object not yet
// shared (a constructor or an init function).
func nameSaysLocked(fn *ssa.Function) bool {
	n := strings.ToLower(fn.Name())
	return strings.HasSuffix(n, "locked") || strings.HasSuffix(n, "_l") || strings.HasPrefix(n, "init") || strings.HasPrefix(n, "new")
}

// entryHeld computes, for each unexported function that is only called
// directly within the package, the locks held at every call site.
func (st *state) entryHeld(notes map[*ssa.Function]funcNotes) map[*ssa.Function][]lockset.Lock {
	type site struct {
		caller *ssa.Function
		instr  ssa.Instruction
	}
	idx := st.siteIndex()
	sites := map[*ssa.Function][]site{}
	escapes := map[*ssa.Function]bool{}
	for callee, instrs := range idx.sites {
		for _, instr := range instrs {
			if _, isGo := instr.(*ssa.Go); isGo {
				escapes[callee] = true // started: no caller's locks
				continue
			}
			sites[callee] = append(sites[callee], site{instr.Parent(), instr})
		}
	}
	for fn := range idx.escaped {
		escapes[fn] = true
	}
	top := map[*ssa.Function]bool{}
	held := map[*ssa.Function][]lockset.Lock{}
	var cands []*ssa.Function
	for _, fn := range st.ssa.SrcFuncs {
		fn = ssax.Origin(fn)
		if escapes[fn] || len(sites[fn]) == 0 || ast.IsExported(fn.Name()) && fn.Parent() == nil || st.spawnEntry(fn) {
			continue
		}
		top[fn] = true
		cands = append(cands, fn)
	}
	at := func(s site) []lockset.Lock {
		l := append([]lockset.Lock(nil), st.locks.Func(s.caller).MustHeld(s.instr)...)
		l = append(l, notes[s.caller].held...)
		if st.callerLocked(s.caller) {
			// A caller whose own caller holds the lock by contract.
			l = append(l, receiverLocks(s.caller)...)
		}
		return append(l, held[ssax.Origin(s.caller)]...)
	}
	for iter := 0; iter < 4; iter++ {
		changed := false
		for _, fn := range cands {
			var acc []lockset.Lock
			first := true
			for _, s := range sites[fn] {
				if top[ssax.Origin(s.caller)] && ssax.Origin(s.caller) != fn {
					continue // not yet known: optimistic
				}
				if ssax.Origin(s.caller) == fn || st.onOwnObject(fn, s.instr) {
					continue
				}
				l := at(s)
				if first {
					acc, first = dedup(l), false
				} else {
					acc = intersect(acc, l)
				}
			}
			if first {
				continue
			}
			if top[fn] || len(acc) != len(held[fn]) {
				changed = true
			}
			top[fn] = false
			held[fn] = acc
		}
		if !changed {
			break
		}
	}
	for fn := range top {
		if top[fn] {
			delete(held, fn)
		}
	}
	out := map[*ssa.Function][]lockset.Lock{}
	for _, fn := range st.ssa.SrcFuncs {
		if l := held[ssax.Origin(fn)]; len(l) > 0 {
			out[fn] = l
		}
	}
	return out
}

// onOwnObject reports whether the call instr of the method fn runs on an
// object that its caller made (an allocation or a constructor's
// result): the caller sets it up, and its locking says nothing of what
// the method's other callers hold (sub := &Sub{}; ...;
// sub.setState(active) beside s.mu.Lock(); s.setState(closed)).
func (st *state) onOwnObject(fn *ssa.Function, instr ssa.Instruction) bool {
	c, ok := instr.(ssa.CallInstruction)
	if !ok || fn.Signature.Recv() == nil || len(c.Common().Args) == 0 || c.Common().IsInvoke() {
		return false
	}
	recv := c.Common().Args[0]
	return st.madeHere(recv) || st.madeHere(ssax.Unspill(recv))
}

func dedup(l []lockset.Lock) []lockset.Lock {
	var out []lockset.Lock
	seen := map[string]bool{}
	for _, x := range l {
		k := x.Class + fmt.Sprint(x.Read)
		if !seen[k] && !x.Unknown {
			seen[k] = true
			out = append(out, x)
		}
	}
	return out
}

func intersect(a, b []lockset.Lock) []lockset.Lock {
	var out []lockset.Lock
	for _, x := range a {
		for _, y := range b {
			if x.Class == y.Class && x.Read == y.Read {
				out = append(out, x)
				break
			}
		}
	}
	return out
}
