package overlock

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/passes/blocking"
	"github.com/syncvet/syncvet/passes/lockset"
)

// unreleased reports returns that leave a lock held, on every path to
// them, when other returns of the function release it.
//
// The returns of a range-over-func body leave the loop: a break or a
// continue, or a return statement of the enclosing function. A break
// may keep a lock that the code after the loop releases, so in a body
// only return statements are reported; its other exits count as paths
// that release.
func (c *checker) unreleased(fn *ssa.Function, fl *lockset.FuncLocks) {
	body := lockset.IsRangeFuncBody(fn)
	var rets []*ssa.Return
	for _, b := range fn.Blocks {
		if b == fn.Recover {
			continue // reached only by a recovered panic: no lock state flows there
		}
		if r, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			rets = append(rets, r)
		}
	}
	c.keptOnEveryReturn(fn, fl, rets)
	if len(rets) < 2 {
		return
	}
	held := func(r *ssa.Return, key string, may bool) bool {
		set := fl.MustHeld(r)
		if may {
			set = fl.MayHeld(r)
		}
		for _, l := range set {
			if l.Key == key {
				return true
			}
		}
		return false
	}
	reported := map[string]bool{}
	for _, r := range rets {
		for _, l := range fl.MustHeld(r) {
			if l.Unknown || reported[l.Key] || freshObject(fl, l) || !releasesOnlyItself(fl, l) || fl.DeferMayRelease(l.Key) || callerHeld(fl, l) {
				continue // (a deferred call that unlocks unless a flag says the body did)
			}
			var heldAt, freeAt []*ssa.Return
			for _, r2 := range rets {
				switch {
				case held(r2, l.Key, false) && body && !c.returnStmtAt(r2.Pos()):
					// a break or continue out of a range-over-func body
				case held(r2, l.Key, false):
					heldAt = append(heldAt, r2)
				case !held(r2, l.Key, true):
					freeAt = append(freeAt, r2)
				}
			}
			if len(freeAt) == 0 || (conditionalAcquire(fn, heldAt, freeAt) && c.releasableLater(fn, l)) {
				continue
			}
			reported[l.Key] = true
			for _, hr := range heldAt {
				c.reportUnreleased(fn, fl, hr, l)
			}
		}
	}
}

// keptOnEveryReturn reports a lock that every return of fn leaves held
// although fn unlocks it on the way: a loop that locks, tests, unlocks
// and tries again, and leaves by a break that keeps the lock (caddy's
// Stop). It stays quiet when something may release the lock later: the
// mutex is reachable from other packages or unlocked by another function
// that does not hold it (releasableLater), a caller in the package
// unlocks it after the call, or fn's name says that it acquires.
func (c *checker) keptOnEveryReturn(fn *ssa.Function, fl *lockset.FuncLocks, rets []*ssa.Return) {
	if len(rets) == 0 || lockset.IsRangeFuncBody(fn) {
		return
	}
	if name := strings.ToLower(ssax.SyncParent(fn).Name()); strings.Contains(name, "lock") || strings.Contains(name, "acquire") {
		return
	}
	for _, l := range fl.MustHeld(rets[0]) {
		if l.Unknown || freshObject(fl, l) || !releasesOnlyItself(fl, l) || fl.DeferMayRelease(l.Key) || callerHeld(fl, l) {
			continue
		}
		all := true
		for _, r := range rets[1:] {
			if !lockset.HasLock(fl.MustHeld(r), l.Key) {
				all = false
				break
			}
		}
		if !all || c.releasableLater(fn, l) || c.releasedByCaller(fn, l) {
			continue
		}
		name := c.lockName(fl, l)
		for _, r := range rets {
			if !r.Pos().IsValid() {
				continue
			}
			d := analysis.Diagnostic{
				Pos:      r.Pos(),
				Category: CatUnreleased,
				Message:  fmt.Sprintf("return leaves %s locked: every return keeps it, though %s unlocks it on the way, and nothing unlocks it later", name, names.Func(fn)),
			}
			if apos := acquirePos(fl, l); apos.IsValid() {
				d.Related = []analysis.RelatedInformation{{Pos: apos, Message: name + " locked here"}}
			}
			c.pass.Report(d)
		}
	}
}

// releasedByCaller reports whether a function of the package that calls
// fn releases a lock of l's class after the call: the caller takes the
// lock over.
func (c *checker) releasedByCaller(fn *ssa.Function, l lockset.Lock) bool {
	for _, other := range c.ls.Funcs() {
		if other.Fn == fn {
			continue
		}
		for _, b := range other.Fn.Blocks {
			for _, in := range b.Instrs {
				call, ok := in.(ssa.CallInstruction)
				if !ok || call.Common().StaticCallee() == nil || ssax.Origin(call.Common().StaticCallee()) != ssax.Origin(fn) {
					continue
				}
				for _, e := range other.Events() {
					if e.Kind == lockset.Release && e.Lock.Class == l.Class && e.Instr.Block() != nil && ssax.RunsBefore(in, e.Instr) {
						return true
					}
				}
			}
		}
	}
	return false
}

// returnStmtAt reports whether a return statement starts at pos.
func (c *checker) returnStmtAt(pos token.Pos) bool {
	if c.returns == nil {
		c.returns = map[token.Pos]bool{}
		for _, f := range c.pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if r, ok := n.(*ast.ReturnStmt); ok {
					c.returns[r.Pos()] = true
				}
				return true
			})
		}
	}
	return c.returns[pos]
}

func (c *checker) reportUnreleased(fn *ssa.Function, fl *lockset.FuncLocks, r *ssa.Return, l lockset.Lock) {
	pos := r.Pos()
	if !pos.IsValid() {
		return // implicit return at the closing brace: nothing to point at
	}
	method := "Unlock"
	if l.Read {
		method = "RUnlock"
	}
	name := c.lockName(fl, l)
	d := analysis.Diagnostic{
		Pos:      pos,
		Category: CatUnreleased,
		Message:  fmt.Sprintf("return leaves %s locked: it is unlocked on other return paths", name),
	}
	apos := acquirePos(fl, l)
	if apos.IsValid() {
		d.Related = []analysis.RelatedInformation{{Pos: apos, Message: name + " locked here"}}
	}
	if expr := c.lockExpr(fl, l); expr != "" {
		if indent, ok := c.lineIndent(pos); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{{
				Message: fmt.Sprintf("call %s.%s() before returning", expr, method),
				TextEdits: []analysis.TextEdit{{
					Pos:     pos,
					End:     pos,
					NewText: []byte(fmt.Sprintf("%s.%s()\n%s", expr, method, indent)),
				}},
			}}
		}
	}
	c.pass.Report(d)
}

// releasesOnlyItself reports whether the function unlocks l itself
// somewhere (a function that never unlocks it acquires it conditionally
// and hands it over: syscall's acquireForkLock) and unlocks no other
// lock of l's class (hand-over-hand locking through a loop variable,
// where "the other lock" is l under another name).
// callerHeld reports whether fl's function releases l on some path
// where it has not acquired it: the caller holds l at entry, and a
// return with l held (re-acquired after a wait) hands it back as found.
func callerHeld(fl *lockset.FuncLocks, l lockset.Lock) bool {
	for _, e := range fl.Events() {
		if e.Kind != lockset.Release || e.Deferred || e.Lock.Key != l.Key {
			continue
		}
		held := false
		for _, h := range e.HeldBefore {
			if h.Key == l.Key {
				held = true
			}
		}
		if !held {
			return true
		}
	}
	return false
}

func releasesOnlyItself(fl *lockset.FuncLocks, l lockset.Lock) bool {
	self := false
	for _, e := range fl.Events() {
		if e.Kind != lockset.Release {
			continue
		}
		if e.Lock.Key == l.Key {
			self = true
		} else if e.Lock.Class == l.Class {
			return false
		}
	}
	return self
}

// freshObject reports whether l belongs to an object this function
// created (an allocation, or the result of a call such as a constructor):
// such an object is usually dropped on the early return, so leaving its
// lock held there harms no other goroutine.
func freshObject(fl *lockset.FuncLocks, l lockset.Lock) bool {
	for _, e := range fl.Events() {
		if e.Lock.Key != l.Key || (e.Kind != lockset.Acquire && e.Kind != lockset.TryAcquire) {
			continue
		}
		call, ok := e.Instr.(ssa.CallInstruction)
		if !ok {
			continue
		}
		com := call.Common()
		var recv ssa.Value
		if com.IsInvoke() {
			recv = com.Value
		} else if len(com.Args) > 0 {
			recv = com.Args[0]
		}
		switch root := blocking.Root(recv).(type) {
		case *ssa.Alloc:
			return !root.Heap
		case *ssa.Call:
			// A constructor, not a method fetching a shared object.
			return root.Call.Signature().Recv() == nil && !root.Call.IsInvoke()
		}
	}
	return false
}

// releasableLater reports whether a lock that fn may return holding can
// be released by its caller afterwards: its mutex is reachable from
// other packages (an exported or embedded field, a mutex of another
// package's type, a bare *sync.Mutex), fn returns a func (the unlock
// handed back to the caller), or some other function of the
// package releases a lock of its class that it does not hold itself (an
// unlock wrapper, or a caller that unlocks after a successful call). A
// function that reports success while keeping a lock no code can ever
// release is a lookup that forgot its unlock, not a conditional acquire.
func (c *checker) releasableLater(fn *ssa.Function, l lockset.Lock) bool {
	if l.Anonymous() || l.Unknown {
		return true
	}
	res := fn.Signature.Results()
	for i := 0; i < res.Len(); i++ {
		if isFunc(res.At(i).Type()) {
			return true // the release handed back (return mu.Unlock, nil)
		}
	}
	cls := l.Class
	field := cls[strings.LastIndexByte(cls, '.')+1:]
	if field == "" || token.IsExported(field) || !strings.Contains(cls, c.pass.Pkg.Path()+".") {
		return true
	}
	for _, other := range c.ls.Funcs() {
		if other.Fn == fn {
			continue
		}
		if callerHeldClass(other, cls) {
			return true
		}
	}
	return false
}

// callerHeldClass reports whether fl releases a lock of class cls that
// it does not hold at that point.
func callerHeldClass(fl *lockset.FuncLocks, cls string) bool {
	for _, e := range fl.Events() {
		if e.Kind != lockset.Release || e.Lock.Class != cls {
			continue
		}
		held := false
		for _, h := range e.HeldBefore {
			if h.Key == e.Lock.Key {
				held = true
			}
		}
		if !held {
			return true
		}
	}
	return false
}

// conditionalAcquire reports a function that returns holding the lock
// exactly when it reports success: every held return yields a nil
// error, true, or a non-nil func (an unlock handed back), and every free
// return yields a non-nil error or false.
func conditionalAcquire(fn *ssa.Function, heldAt, freeAt []*ssa.Return) bool {
	res := fn.Signature.Results()
	for i := 0; i < res.Len(); i++ {
		t := res.At(i).Type()
		switch {
		case isError(t):
			if all(heldAt, i, isNilConst) && all(freeAt, i, notNilConst) {
				return true
			}
		case isBool(t):
			if all(heldAt, i, isBoolConst(true)) && all(freeAt, i, isBoolConst(false)) {
				return true
			}
		case isFunc(t):
			if all(heldAt, i, notNilConst) {
				return true
			}
		}
	}
	return false
}

func all(rets []*ssa.Return, i int, pred func(ssa.Value) bool) bool {
	for _, r := range rets {
		if i >= len(r.Results) || !pred(r.Results[i]) {
			return false
		}
	}
	return true
}

func isNilConst(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.IsNil()
}

func notNilConst(v ssa.Value) bool { return !isNilConst(v) }

func isBoolConst(want bool) func(ssa.Value) bool {
	return func(v ssa.Value) bool {
		k, ok := v.(*ssa.Const)
		return ok && k.Value != nil && k.Value.Kind() == constant.Bool && constant.BoolVal(k.Value) == want
	}
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

func isBool(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.Bool
}

func isFunc(t types.Type) bool {
	_, ok := t.Underlying().(*types.Signature)
	return ok
}
