package sharedaccess

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/goroutines"
	"github.com/syncvet/syncvet/passes/lockset"
)

// Guarded is a fact on a struct field: the mutex that guards it, a field
// of the same struct, inferred from how the package uses the field or
// read from a gVisor "+checklocks:mu" annotation.
type Guarded struct {
	Lock      string // the guarding field's name: "mu"
	Class     string // its lock class: "(*example.com/cache.Cache).mu"
	Annotated bool   // from +checklocks
	// Loose reports that the package itself accesses the field without
	// the lock somewhere: other packages are not checked against it.
	Loose bool
}

// AFact marks Guarded as a fact.
func (*Guarded) AFact() {}

func (g *Guarded) String() string {
	if g.Annotated {
		return "guarded(" + g.Lock + ",annotated)"
	}
	return "guarded(" + g.Lock + ")"
}

// faccess is one access to a field (or a global) seen by the guard check.
type faccess struct {
	class  string     // "(*pkg.T).f" or "g:pkg.v"
	field  *types.Var // the field, origin for generics; nil for a global
	owner  string     // "(*pkg.T)" for fields
	name   string     // Go expression: "c.hits"
	base   string     // Go expression of the struct: "c"
	write  bool
	elem   bool      // the contents of a map or slice field
	shared bool      // reached from a parameter, a global, or a spawned closure's capture
	root   ssa.Value // the value the field path starts from
	must   []lockset.Lock
	may    []lockset.Lock
	instr  ssa.Instruction
	fn     *ssa.Function
	// init marks a write that only initialises the field: made after
	// checking that the field is nil (if t.m == nil { t.m = ...;
	// t.m[k] = v }).
	init bool
}

// freshInit reports whether instr, a write to the field at addr or to
// its contents, only fills in a value made on the spot where the field
// was found nil: t.m = make(...) or &T{...} under if t.m == nil, and
// the writes into the new map after it. A first error latched under
// the same check (if t.err == nil { t.err = err }) is a mutation.
func freshInit(instr ssa.Instruction, addr ssa.Value) bool {
	if !nilChecked(instr, addr) {
		return false
	}
	st, ok := instr.(*ssa.Store)
	if !ok || st.Addr != addr {
		return true // the contents of the value just made
	}
	switch st.Val.(type) {
	case *ssa.MakeMap, *ssa.MakeChan, *ssa.MakeSlice, *ssa.Alloc:
		return true
	}
	return false
}

// headerOnly reports whether instr loads a slice or map field only to
// compare it with nil, or a slice field only for its len or cap: it
// reads none of the elements.
func headerOnly(instr ssa.Instruction) bool {
	ld, ok := instr.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL || ld.Referrers() == nil {
		return false
	}
	_, isSlice := ld.Type().Underlying().(*types.Slice)
	_, isMap := ld.Type().Underlying().(*types.Map)
	if !isSlice && !isMap {
		return false
	}
	for _, r := range *ld.Referrers() {
		switch r := r.(type) {
		case *ssa.BinOp:
			x := r.X
			if x == ld {
				x = r.Y
			}
			if k, ok := x.(*ssa.Const); !ok || !k.IsNil() || r.Op != token.EQL && r.Op != token.NEQ {
				return false
			}
		case *ssa.Call:
			b, ok := r.Call.Value.(*ssa.Builtin)
			if !ok || !isSlice || b.Name() != "len" && b.Name() != "cap" {
				return false
			}
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}

// sameLockClass reports whether two lock classes may name one mutex:
// equal, or the same mutex field reached through a global and through
// a pointer ("expvar.vars.keysMu" and "(*expvar.Map).keysMu").
func sameLockClass(a, b string) bool {
	if a == b {
		return true
	}
	i, j := strings.LastIndex(a, "."), strings.LastIndex(b, ".")
	return i >= 0 && j >= 0 && a[i:] == b[j:] && !strings.HasPrefix(a, "*") && !strings.HasPrefix(b, "*")
}

func (a *faccess) holds(class string, write bool) bool {
	for _, l := range a.must {
		if sameLockClass(l.Class, class) && (!write || !l.Read) {
			return true
		}
	}
	return false
}

func (a *faccess) mayHold(class string) bool {
	if a.holds(class, false) {
		return true
	}
	for _, l := range a.may {
		if sameLockClass(l.Class, class) {
			return true
		}
	}
	return false
}

func (a *faccess) holdsAny() bool {
	for _, l := range a.must {
		if !l.Anonymous() && !l.Unknown {
			return true
		}
	}
	return false
}

type funcNotes struct {
	ignore bool
	held   []lockset.Lock
}

// checkGuards infers the lock that guards each field and reports
// accesses without it, writes under read locks, guarded maps returned out
// of their critical section, and locks on copied receivers.
// notes and annotated are the checklocks annotations (st.annotations),
// read once before checkSpawns.
func (st *state) checkGuards(notes map[*ssa.Function]funcNotes, annotated map[*types.Var]string) {
	entry := st.entry // computed before checkSpawns
	var all []*faccess
	for _, fn := range st.ssa.SrcFuncs {
		if notes[fn].ignore {
			continue
		}
		fl := st.locks.Func(fn)
		held := append(append([]lockset.Lock(nil), entry[fn]...), notes[fn].held...)
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				for _, a := range st.fieldAccesses(fn, instr) {
					a.must = append(append([]lockset.Lock(nil), held...), fl.MustHeld(instr)...)
					a.may = fl.MayHeld(instr)
					all = append(all, a)
				}
			}
		}
		st.checkCopiedLock(fn)
	}
	byClass := map[string][]*faccess{}
	var classes []string
	for _, a := range all {
		if byClass[a.class] == nil {
			classes = append(classes, a.class)
		}
		byClass[a.class] = append(byClass[a.class], a)
	}
	sort.Strings(classes)
	st.closeOrdered = map[ssa.Instruction]bool{}
	for _, class := range classes {
		accs := byClass[class]
		if f := accs[0].field; f == nil || f.Exported() || f.Pkg() != st.pass.Pkg {
			continue // other packages may write it without the close
		}
		for _, u := range accs {
			if !u.write && st.publishedByClose(u, accs) {
				st.closeOrdered[u.instr] = true
			}
		}
	}
	for _, class := range classes {
		accs := byClass[class]
		if _, ann := annotated[accs[0].field]; !ann && st.singleOwner(accs[0].field) {
			continue // a type documented as not safe for concurrent use
		}
		if st.atomicClass(class) {
			st.checkMixedAtomic(accs)
			continue
		}
		field := accs[0].field
		if ann, ok := annotated[field]; ok && field != nil {
			st.checkAnnotated(accs, ann)
			continue
		}
		var imported Guarded
		if field != nil && field.Pkg() != st.pass.Pkg && st.pass.ImportObjectFact(field, &imported) {
			st.checkImported(accs, &imported)
			continue
		}
		if st.onceOnly(accs) {
			continue
		}
		guard, lockName := st.inferGuard(accs)
		st.checkRLockWrites(accs, guard)
		if guard == "" {
			continue
		}
		if field != nil && field.Pkg() == st.pass.Pkg && strings.HasPrefix(guard, accs[0].owner+".") {
			st.pass.ExportObjectFact(field, &Guarded{Lock: strings.TrimPrefix(guard, accs[0].owner+"."), Class: guard, Loose: !consistentlyGuarded(accs, guard)})
		}
		st.checkUnguarded(accs, guard, lockName)
		st.checkEscapes(accs, guard)
	}
}

// consistentlyGuarded reports whether every shared access of the
// package holds guard (or may: a path that holds it). Other packages are
// held to a field's guard only then: a package that itself reads the
// field without the lock somewhere (set once before the value is
// published, changed only on a path of its own) does not ask its users
// for a stricter discipline than it follows.
func consistentlyGuarded(accs []*faccess, guard string) bool {
	for _, a := range accs {
		if a.shared && !a.mayHold(guard) {
			return false
		}
	}
	return true
}

// singleOwner reports whether field belongs to a struct type of this
// package whose documentation says it is not safe for concurrent use
// ("not thread-safe", "not safe for concurrent use"): its users own
// each value, and a lock or atomic in some of its methods does not make
// the others concurrent entry points.
func (st *state) singleOwner(field *types.Var) bool {
	if field == nil {
		return false
	}
	if st.unsafeTypes == nil {
		st.unsafeTypes = map[*types.Var]bool{}
		for _, f := range st.pass.Files {
			for _, d := range f.Decls {
				gd, ok := d.(*ast.GenDecl)
				if !ok || gd.Tok != token.TYPE {
					continue
				}
				for _, spec := range gd.Specs {
					ts := spec.(*ast.TypeSpec)
					doc := ts.Doc
					if doc == nil && len(gd.Specs) == 1 {
						doc = gd.Doc
					}
					if doc == nil || !notConcurrencySafe(doc.Text()) {
						continue
					}
					tn, ok := st.pass.TypesInfo.Defs[ts.Name].(*types.TypeName)
					if !ok {
						continue
					}
					if str, ok := tn.Type().Underlying().(*types.Struct); ok {
						for i := 0; i < str.NumFields(); i++ {
							st.unsafeTypes[str.Field(i)] = true
						}
					}
				}
			}
		}
	}
	return st.unsafeTypes[field.Origin()]
}

// notConcurrencySafe reports whether a doc comment says that its type
// is not safe for concurrent use.
func notConcurrencySafe(doc string) bool {
	d := strings.ToLower(strings.Join(strings.Fields(doc), " "))
	for _, p := range []string{"not thread-safe", "not thread safe", "not threadsafe", "not goroutine-safe", "not goroutine safe",
		"not concurrency-safe", "not concurrency safe", "not safe for concurrent", "not safe to use concurrently",
		"not safe for use by multiple goroutines", "must not be used concurrently", "is not synchronized", "not safe for simultaneous"} {
		if strings.Contains(d, p) {
			return true
		}
	}
	return false
}

// inferGuard returns the lock class held at the most accesses of a
// field, provided some write holds it, it is held at two accesses or
// more, and at no fewer accesses than it is missing from. Accesses to
// an object still private to the function that made it do not count.
func (st *state) inferGuard(accs []*faccess) (string, string) {
	count := map[string]int{}
	writes := map[string]bool{}
	names := map[string]string{}
	for _, a := range accs {
		if st.fresh(a) {
			continue // an object the function made itself: its locking says nothing of the others'
		}
		seen := map[string]bool{}
		for _, l := range a.must {
			if l.Anonymous() || l.Unknown || seen[l.Class] || l.Class == "sync.Once" || !ownLock(a, l.Class) {
				continue
			}
			seen[l.Class] = true
			count[l.Class]++
			if a.write && !l.Read {
				writes[l.Class] = true
			}
			if names[l.Class] == "" {
				names[l.Class] = l.Name
			}
		}
	}
	best := ""
	for c, n := range count {
		if !writes[c] {
			continue
		}
		if best == "" || n > count[best] || n == count[best] && c < best {
			best = c
		}
	}
	if best == "" || count[best] < 2 || !mutated(accs, best) {
		return "", ""
	}
	missing := 0
	for _, a := range accs {
		if a.shared && !a.mayHold(best) {
			missing++
		}
	}
	if missing > count[best] {
		return "", ""
	}
	return best, names[best]
}

// ownLock reports whether lock class guards a's memory plausibly: a
// mutex of the same struct for a field, a package-level mutex for a
// global.
func ownLock(a *faccess, class string) bool {
	if a.owner != "" {
		return strings.HasPrefix(class, a.owner+".")
	}
	return !strings.HasPrefix(class, "(") && !strings.HasPrefix(class, "*")
}

// mutated reports whether the field is mutable shared state rather than
// state initialised once under the lock: its contents are written under
// the guard, it is read and written under the guard in one function
// (a read-modify-write), or two functions write it under the guard;
// and some write under the guard changes it rather than fills in a
// value made where it was nil (faccess.init).
func mutated(accs []*faccess, guard string) bool {
	writers := map[*ssa.Function]bool{}
	readers := map[*ssa.Function]bool{}
	changed := false // a write other than filling in a fresh value
	for _, a := range accs {
		if !a.holds(guard, false) {
			continue
		}
		if a.write && !a.init {
			changed = true
			if a.elem {
				return true
			}
		}
		if a.write {
			writers[a.fn] = true
		} else {
			readers[a.fn] = true
		}
	}
	if !changed {
		return false // only ever initialised under the lock
	}
	for fn := range writers {
		if readers[fn] {
			return true
		}
	}
	return len(writers) >= 2
}

// inTest reports whether fn is declared in a _test.go file.
func (st *state) inTest(fn *ssa.Function) bool {
	f := st.pass.Fset.File(fn.Pos())
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
}

// lockNameFor names the guard lock as seen from a's base expression.
func lockNameFor(a *faccess, guard, fallback string) string {
	if a.owner != "" && strings.HasPrefix(guard, a.owner+".") && a.base != "" {
		return a.base + "." + strings.TrimPrefix(guard, a.owner+".")
	}
	return fallback
}

func (st *state) checkUnguarded(accs []*faccess, guard, lockName string) {
	var w, hw *faccess
	for _, a := range accs {
		if !st.fresh(a) && a.write && a.holds(guard, true) && (w == nil || w.init && !a.init) {
			w = a // a write that changes the field rather than fills it in, if any
		}
		if !st.fresh(a) && a.write && !a.elem && a.holds(guard, true) && (hw == nil || hw.init && !a.init) {
			hw = a // the same among writes of the field itself
		}
	}
	var any *faccess
	for _, a := range accs {
		if !st.fresh(a) && a.holds(guard, false) {
			any = a
			break
		}
	}
	done := map[*ssa.Function]bool{}
	for _, u := range accs {
		if !u.shared || u.mayHold(guard) || done[u.fn] || st.callerLocked(u.fn) || st.inTest(u.fn) || !st.entryPoint(u.fn) ||
			!u.direct() || st.afterTake(u, guard) || teardownReset(u) || st.publishedByClose(u, accs) || st.initBeforeStart(u) || afterJoin(u) {
			continue
		}
		other := w
		if !u.write && !u.elem && headerOnly(u.instr) {
			// A read of the field itself that looks at nothing it
			// holds (c.queue != nil, len of a slice) does not conflict
			// with writes into the slice or map (c.queue[i] = nil).
			other = hw
		}
		if u.write && other == nil {
			other = any
		}
		if other == nil || other.fn == u.fn && !u.write {
			continue
		}
		done[u.fn] = true
		lk := lockNameFor(u, guard, lockName)
		msg := fmt.Sprintf("unsynchronized %s %s: %s %s it without %s, which %s %s holding it",
			hz(u), u.name, funcDisplay(u.fn), vb(u.write), lk, funcDisplay(other.fn), vb(other.write))
		st.report(u.instr.Pos(), CatGuard, msg, related(other.instr.Pos(), fmt.Sprintf("%s %s holding %s", vb(other.write), other.name, lockNameFor(other, guard, lockName))))
	}
}

func (st *state) checkImported(accs []*faccess, g *Guarded) {
	if g.Loose && !g.Annotated {
		return
	}
	done := map[*ssa.Function]bool{}
	for _, u := range accs {
		if !u.shared || u.mayHold(g.Class) || u.holdsAny() || done[u.fn] {
			continue
		}
		done[u.fn] = true
		msg := fmt.Sprintf("unsynchronized %s %s: %s %s it without %s.%s, which guards it in package %s",
			hz(u), u.name, funcDisplay(u.fn), vb(u.write), u.base, g.Lock, u.field.Pkg().Name())
		st.report(u.instr.Pos(), CatGuard, msg)
	}
}

func (st *state) checkAnnotated(accs []*faccess, lock string) {
	done := map[*ssa.Function]bool{}
	for _, u := range accs {
		class := u.owner + "." + lock
		if !u.shared || u.mayHold(class) || done[u.fn] {
			continue
		}
		done[u.fn] = true
		msg := fmt.Sprintf("unsynchronized %s %s: %s %s it without %s.%s, which its +checklocks annotation requires",
			hz(u), u.name, funcDisplay(u.fn), vb(u.write), u.base, lock)
		st.report(u.instr.Pos(), CatChecklock, msg)
	}
}

// checkRLockWrites reports writes made while holding only a read lock
// of the written struct (or a global lock for a global).
func (st *state) checkRLockWrites(accs []*faccess, guard string) {
	for _, a := range accs {
		if !a.write || !a.shared {
			continue
		}
		// A map written under a read lock always races with the other
		// readers. So does a field, unless the write lock guards it
		// elsewhere and this write does not hold that guard (the guard
		// check reports that one).
		if !a.elem && guard != "" && !a.holds(guard, false) {
			continue
		}
		var rl *lockset.Lock
		exclusive := false
		for i, l := range a.must {
			if l.Anonymous() || l.Unknown || l.Class == "sync.Once" {
				continue
			}
			if !l.Read {
				exclusive = true
			} else if a.owner != "" && strings.HasPrefix(l.Class, a.owner+".") || a.owner == "" && !strings.HasPrefix(l.Class, "(") {
				rl = &a.must[i]
			}
		}
		if rl == nil || exclusive {
			continue
		}
		// With no inferred guard, the read lock must be what the code
		// relies on for this field: every other access holds it too.
		// (A mutex held for another purpose, such as keeping a
		// single-goroutine object from being closed, is not a guard.)
		if !a.elem && guard == "" && !rlockGuardsAll(accs, rl.Class) {
			continue
		}
		msg := fmt.Sprintf("unsynchronized write to %s: %s writes it holding only the read lock %s, which other readers hold at the same time",
			a.name, funcDisplay(a.fn), lockNameFor(a, rl.Class, rl.Name))
		st.report(a.instr.Pos(), CatRLock, msg)
	}
}

// rlockGuardsAll reports whether the field has more than one access and
// every one of them holds class, for reading or writing.
func rlockGuardsAll(accs []*faccess, class string) bool {
	n := 0
	for _, a := range accs {
		if !a.holds(class, false) {
			return false
		}
		n++
	}
	return n > 1
}

// checkEscapes reports a guarded map or slice field returned by a
// function that took its guard, while writes to its contents hold the
// guard elsewhere.
func (st *state) checkEscapes(accs []*faccess, guard string) {
	var w *faccess
	for _, a := range accs {
		if a.elem && a.write && a.holds(guard, true) {
			w = a
			break
		}
	}
	if w == nil {
		return
	}
	for _, a := range accs {
		if a.elem || a.write || !a.holds(guard, false) || st.callerLocked(a.fn) {
			continue
		}
		load, ok := a.instr.(*ssa.UnOp)
		if !ok || !returned(load) || st.returnsHolding(a.fn, guard) {
			continue
		}
		kind := "map"
		if _, ok := load.Type().Underlying().(*types.Slice); ok {
			kind = "slice"
		}
		msg := fmt.Sprintf("%s escapes its critical section: %s returns the %s guarded by %s, which %s writes holding it",
			a.name, funcDisplay(a.fn), kind, lockNameFor(a, guard, ""), funcDisplay(w.fn))
		st.report(a.instr.Pos(), CatEscape, msg, related(w.instr.Pos(), "written here holding the lock"))
	}
}

func returned(v *ssa.UnOp) bool {
	switch v.Type().Underlying().(type) {
	case *types.Map, *types.Slice:
	default:
		return false
	}
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.Return:
			return true
		case *ssa.Store:
			// With defers, results pass through a local slot.
			if slot, ok := r.Addr.(*ssa.Alloc); ok && r.Val == v && !slot.Heap {
				for _, u := range *slot.Referrers() {
					if ld, ok := u.(*ssa.UnOp); ok && ld.Op == token.MUL {
						for _, lr := range *ld.Referrers() {
							if _, ok := lr.(*ssa.Return); ok {
								return true
							}
						}
					}
				}
			}
		}
	}
	return false
}

func (st *state) returnsHolding(fn *ssa.Function, class string) bool {
	s := st.locks.Summary(fn)
	if s == nil {
		return false
	}
	return strings.Contains(fmt.Sprint(s.Acquires), lockset.ShortClass(class))
}

// callerLocked reports whether fn's name or doc comment says that its
// caller holds the lock, memoized per function (accesses ask it one by
// one).
func (st *state) callerLocked(fn *ssa.Function) bool {
	if v, ok := st.callerLockedMemo[fn]; ok {
		return v
	}
	v := lockedByName(fn) || lockedByDoc(fn)
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

// lockedByDoc reports whether fn's doc comment says its caller holds a
// lock (nats-server's "Lock should be held" on every such helper).
func lockedByDoc(fn *ssa.Function) bool {
	for f := fn; f != nil; f = f.Parent() {
		if fd, ok := f.Syntax().(*ast.FuncDecl); ok && fd.Doc != nil && mentionsHeld(fd.Doc.Text()) {
			return true
		}
	}
	return false
}

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

// lockedByName reports whether fn's name says its caller holds the lock.
func lockedByName(fn *ssa.Function) bool {
	for f := fn; f != nil; f = f.Parent() {
		n := strings.ToLower(f.Name())
		if strings.HasSuffix(n, "locked") || strings.HasSuffix(n, "_l") || strings.HasPrefix(n, "init") || strings.HasPrefix(n, "new") {
			return true
		}
	}
	return false
}

func hz(a *faccess) string {
	if a.write {
		return "write to"
	}
	return "read of"
}

func vb(write bool) string {
	if write {
		return "writes"
	}
	return "reads"
}

// fieldAccesses returns the field and global accesses of instr.
func (st *state) fieldAccesses(fn *ssa.Function, instr ssa.Instruction) []*faccess {
	var out []*faccess
	add := func(addr ssa.Value, write, elem bool) {
		if a := st.describe(fn, addr, write, elem); a != nil {
			a.instr = instr
			a.init = write && freshInit(instr, addr)
			out = append(out, a)
		}
	}
	switch in := instr.(type) {
	case *ssa.Store:
		switch addr := in.Addr.(type) {
		case *ssa.FieldAddr, *ssa.Global:
			add(addr, true, false)
		case *ssa.IndexAddr:
			if ld, ok := addr.X.(*ssa.UnOp); ok && ld.Op == token.MUL {
				if _, ok := ld.X.Type().Underlying().(*types.Pointer); ok {
					if _, ok := addr.X.Type().Underlying().(*types.Slice); ok {
						add(ld.X, true, true)
					}
				}
			}
		}
	case *ssa.UnOp:
		if in.Op == token.MUL {
			switch in.X.(type) {
			case *ssa.FieldAddr, *ssa.Global:
				add(in.X, false, false)
			}
		}
	case *ssa.MapUpdate:
		if ld, ok := in.Map.(*ssa.UnOp); ok && ld.Op == token.MUL {
			add(ld.X, true, true)
		}
	case *ssa.Lookup:
		if _, ok := in.X.Type().Underlying().(*types.Map); ok {
			if ld, ok := in.X.(*ssa.UnOp); ok && ld.Op == token.MUL {
				add(ld.X, false, true)
			}
		}
	case *ssa.Call:
		if b, ok := in.Call.Value.(*ssa.Builtin); ok && b.Name() == "delete" {
			if ld, ok := in.Call.Args[0].(*ssa.UnOp); ok && ld.Op == token.MUL {
				add(ld.X, true, true)
			}
		}
	}
	return out
}

// describe names the field or global at addr.
func (st *state) describe(fn *ssa.Function, addr ssa.Value, write, elem bool) *faccess {
	switch addr := addr.(type) {
	case *ssa.Global:
		if addr.Pkg == nil || addr.Pkg.Pkg != st.pass.Pkg || strings.HasPrefix(addr.Name(), "init$") {
			return nil
		}
		return &faccess{class: "g:" + addr.Pkg.Pkg.Path() + "." + addr.Name(), name: addr.Name(), write: write, elem: elem, shared: true, fn: fn}
	case *ssa.FieldAddr:
		t := types.Unalias(addr.X.Type())
		p, ok := t.Underlying().(*types.Pointer)
		if !ok {
			return nil
		}
		n, ok := types.Unalias(p.Elem()).(*types.Named)
		if !ok || n.Obj().Pkg() == nil {
			return nil
		}
		n = n.Origin()
		stt, ok := n.Underlying().(*types.Struct)
		if !ok || addr.Field >= stt.NumFields() {
			return nil
		}
		f := stt.Field(addr.Field)
		if syncapi.IsSyncType(f.Type()) {
			return nil
		}
		owner := "(*" + n.Obj().Pkg().Path() + "." + n.Obj().Name() + ")"
		base := exprName(addr.X, 0)
		if a, ok := addr.X.(*ssa.Alloc); ok && base == "_" {
			if n := st.localName(a.Pos()); n != "" {
				base = n
			}
		}
		return &faccess{
			class: owner + "." + f.Name(), field: f, owner: owner,
			name: base + "." + f.Name(), base: base, write: write, elem: elem,
			shared: st.sharedBase(fn, addr.X, 0), fn: fn, root: rootOf(addr.X),
		}
	}
	return nil
}

// sharedBase reports whether v is reached from a parameter, a global, or
// a variable captured by a closure that runs on a spawned goroutine,
// rather than from a value made in this function.
func (st *state) sharedBase(fn *ssa.Function, v ssa.Value, d int) bool {
	if d > 10 {
		return false
	}
	switch v := v.(type) {
	case *ssa.Parameter:
		return true
	case *ssa.Global:
		return true
	case *ssa.FreeVar:
		return st.g.OnGoroutine(fn)
	case *ssa.Alloc:
		// A parameter that a closure captures lives in a cell.
		if val := ssax.SoleStore(v); val != nil {
			return st.sharedBase(fn, val, d+1)
		}
	case *ssa.FieldAddr:
		return st.sharedBase(fn, v.X, d+1)
	case *ssa.Field:
		return st.sharedBase(fn, v.X, d+1)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return st.sharedBase(fn, v.X, d+1)
		}
	case *ssa.IndexAddr:
		return st.sharedBase(fn, v.X, d+1)
	case *ssa.ChangeType:
		return st.sharedBase(fn, v.X, d+1)
	case *ssa.Phi:
		for _, e := range v.Edges {
			if !st.sharedBase(fn, e, d+1) {
				return false
			}
		}
		return len(v.Edges) > 0
	}
	return false
}

// exprName renders an address path in Go syntax.
func exprName(v ssa.Value, d int) string {
	if d > 8 {
		return "_"
	}
	switch v := v.(type) {
	case *ssa.Parameter:
		return v.Name()
	case *ssa.FreeVar:
		return v.Name()
	case *ssa.Global:
		return v.Name()
	case *ssa.Alloc:
		if v.Comment != "" && !strings.ContainsAny(v.Comment, " ") && v.Comment != "complit" && v.Comment != "new" {
			return v.Comment
		}
	case *ssa.FieldAddr:
		return exprName(v.X, d+1) + "." + fieldName(v.X.Type(), v.Field, true)
	case *ssa.Field:
		return exprName(v.X, d+1) + "." + fieldName(v.X.Type(), v.Field, false)
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return exprName(v.X, d+1)
		}
	case *ssa.IndexAddr:
		return exprName(v.X, d+1) + "[...]"
	case *ssa.ChangeType:
		return exprName(v.X, d+1)
	}
	return "_"
}

func (st *state) atomicClass(class string) bool {
	if st.atomicClasses == nil {
		st.atomicClasses = map[string]bool{}
		for _, fn := range st.ssa.SrcFuncs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					c, ok := instr.(ssa.CallInstruction)
					if !ok {
						continue
					}
					callee := c.Common().StaticCallee()
					if callee == nil || !atomicCall(callee, syncapi.Func(callee)) || len(c.Common().Args) == 0 {
						continue
					}
					if a := st.describe(fn, c.Common().Args[0], false, false); a != nil {
						st.atomicClasses[a.class] = true
						if st.atomicSites == nil {
							st.atomicSites = map[string]ssa.Instruction{}
						}
						if st.atomicSites[a.class] == nil {
							st.atomicSites[a.class] = instr
						}
					}
				}
			}
		}
	}
	return st.atomicClasses[class]
}

// annotations reads gVisor checklocks comments: "+checklocks:mu" on
// struct fields, "+checklocks:c.mu" and "+checklocksignore" on functions.
func (st *state) annotations() (map[*ssa.Function]funcNotes, map[*types.Var]string) {
	notes := map[*ssa.Function]funcNotes{}
	fields := map[*types.Var]string{}
	declFns := map[*ast.FuncDecl]*ssa.Function{}
	for _, fn := range st.ssa.SrcFuncs {
		if d, ok := fn.Syntax().(*ast.FuncDecl); ok {
			declFns[d] = fn
		}
	}
	for _, f := range st.pass.Files {
		if !strings.Contains(fileText(f), "+checklocks") {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.Field:
				for _, cg := range []*ast.CommentGroup{n.Doc, n.Comment} {
					for _, lock := range checklocks(cg, "+checklocks:") {
						for _, name := range n.Names {
							if v, ok := st.pass.TypesInfo.Defs[name].(*types.Var); ok && v.IsField() {
								fields[v] = lock
							}
						}
					}
				}
			case *ast.FuncDecl:
				fn := declFns[n]
				if fn == nil || n.Doc == nil {
					return true
				}
				var fnotes funcNotes
				if strings.Contains(n.Doc.Text(), "+checklocksignore") {
					fnotes.ignore = true
				}
				for _, prefix := range []string{"+checklocks:", "+checklocksread:"} {
					for _, ref := range checklocks(n.Doc, prefix) {
						if l, ok := st.annotatedLock(fn, ref, prefix == "+checklocksread:"); ok {
							fnotes.held = append(fnotes.held, l)
						}
					}
				}
				notes[fn] = fnotes
			}
			return true
		})
	}
	return notes, fields
}

func fileText(f *ast.File) string {
	var b strings.Builder
	for _, cg := range f.Comments {
		b.WriteString(cg.Text())
	}
	return b.String()
}

func checklocks(cg *ast.CommentGroup, prefix string) []string {
	if cg == nil {
		return nil
	}
	var out []string
	for _, c := range cg.List {
		text := c.Text
		for {
			i := strings.Index(text, prefix)
			if i < 0 {
				break
			}
			rest := text[i+len(prefix):]
			end := strings.IndexFunc(rest, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' || r == '\n' })
			if end < 0 {
				end = len(rest)
			}
			if rest[:end] != "" {
				out = append(out, rest[:end])
			}
			text = rest[end:]
		}
	}
	return out
}

// annotatedLock resolves "c.mu" (parameter c) or "mu" (the receiver's
// field) in fn to a lock class.
func (st *state) annotatedLock(fn *ssa.Function, ref string, read bool) (lockset.Lock, bool) {
	parts := strings.Split(ref, ".")
	var t types.Type
	if len(parts) == 1 {
		if len(fn.Params) == 0 || fn.Signature.Recv() == nil {
			return lockset.Lock{}, false
		}
		t = fn.Params[0].Type()
	} else {
		for _, p := range fn.Params {
			if p.Name() == parts[0] {
				t = p.Type()
			}
		}
		parts = parts[1:]
	}
	if t == nil {
		return lockset.Lock{}, false
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || len(parts) != 1 {
		return lockset.Lock{}, false
	}
	n = n.Origin()
	class := "(*" + n.Obj().Pkg().Path() + "." + n.Obj().Name() + ")." + parts[0]
	return lockset.Lock{Key: "annot:" + ref, Name: ref, Class: class, Read: read}, true
}

// entryHeld computes, for each unexported function that is only called
// directly within the package, the locks held at every call site.
func (st *state) entryHeld(notes map[*ssa.Function]funcNotes) map[*ssa.Function][]lockset.Lock {
	type site struct {
		caller *ssa.Function
		instr  ssa.Instruction
	}
	sites := map[*ssa.Function][]site{}
	escapes := map[*ssa.Function]bool{}
	for _, fn := range st.ssa.SrcFuncs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				var ops []*ssa.Value
				if c, ok := instr.(ssa.CallInstruction); ok {
					if _, isGo := instr.(*ssa.Go); !isGo {
						if callee, _ := goroutines.FuncOf(c.Common().Value); callee != nil && !c.Common().IsInvoke() {
							callee = goroutines.Origin(callee)
							sites[callee] = append(sites[callee], site{fn, instr})
							ops = instr.Operands(nil)[1:]
						}
					}
				}
				if ops == nil {
					ops = instr.Operands(nil)
				}
				for _, op := range ops {
					if op == nil || *op == nil {
						continue
					}
					if f, _ := goroutines.FuncOf(*op); f != nil {
						escapes[goroutines.Origin(f)] = true
					}
				}
			}
		}
	}
	top := map[*ssa.Function]bool{}
	held := map[*ssa.Function][]lockset.Lock{}
	var cands []*ssa.Function
	for _, fn := range st.ssa.SrcFuncs {
		fn = goroutines.Origin(fn)
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
		return append(l, held[goroutines.Origin(s.caller)]...)
	}
	for iter := 0; iter < 4; iter++ {
		changed := false
		for _, fn := range cands {
			var acc []lockset.Lock
			first := true
			for _, s := range sites[fn] {
				if top[goroutines.Origin(s.caller)] && goroutines.Origin(s.caller) != fn {
					continue // not yet known: optimistic
				}
				if goroutines.Origin(s.caller) == fn {
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
		if l := held[goroutines.Origin(fn)]; len(l) > 0 {
			out[fn] = l
		}
	}
	return out
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

// checkCopiedLock reports a method with a value receiver that locks a
// mutex inside its copy of the receiver.
func (st *state) checkCopiedLock(fn *ssa.Function) {
	recv := fn.Signature.Recv()
	if recv == nil || len(fn.Params) == 0 {
		return
	}
	if _, ok := recv.Type().Underlying().(*types.Pointer); ok {
		return
	}
	p0 := fn.Params[0]
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			callee := c.Call.StaticCallee()
			if callee == nil || len(c.Call.Args) == 0 {
				continue
			}
			if op := syncapi.Func(callee); !op.Acquire() || op.Type != syncapi.Mutex && op.Type != syncapi.RWMutex {
				continue
			}
			if !copyOfParam(c.Call.Args[0], p0, 0) {
				continue
			}
			name := exprName(c.Call.Args[0], 0)
			if name == "_" || strings.HasPrefix(name, "_") {
				name = p0.Name() + "." + name
			}
			msg := fmt.Sprintf("unsynchronized access through copied lock: %s locks %s in a copy of its receiver, so the lock guards nothing shared", funcDisplay(fn), name)
			st.report(c.Pos(), CatCopied, msg)
			return
		}
	}
}

// copyOfParam reports whether v addresses a part of a local copy of p.
func copyOfParam(v ssa.Value, p *ssa.Parameter, d int) bool {
	if d > 6 {
		return false
	}
	switch v := v.(type) {
	case *ssa.FieldAddr:
		return copyOfParam(v.X, p, d+1)
	case *ssa.Alloc:
		for _, r := range *v.Referrers() {
			if s, ok := r.(*ssa.Store); ok && s.Addr == v && s.Val == p {
				return true
			}
		}
	}
	return false
}

// apiEntry reports whether fn can be called by any goroutine of a
// client: an exported function, or an exported method of an exported
// type. Unexported helpers are assumed to follow the package's protocol.
func apiEntry(fn *ssa.Function) bool {
	if fn.Parent() != nil {
		return false
	}
	fn = goroutines.Origin(fn)
	if !ast.IsExported(fn.Name()) {
		return false
	}
	recv := fn.Signature.Recv()
	if recv == nil {
		return true
	}
	t := recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Exported()
}

// direct reports whether the access is to a field of a parameter or
// receiver itself (c.f), or to a global, rather than through another
// object (c.conn.f).
func (a *faccess) direct() bool {
	return a.owner == "" || !strings.ContainsAny(a.base, ".[")
}

// afterTake reports whether, before u, its function takes and releases
// the guard (directly or in a callee): a lazy initialisation or a check
// under the lock that publishes the field to the reader.
func (st *state) afterTake(u *faccess, guard string) bool {
	fl := st.locks.Func(u.fn)
	for _, ev := range fl.Events() {
		if ev.Kind != lockset.Take && ev.Kind != lockset.Release || !sameLockClass(ev.Lock.Class, guard) {
			continue
		}
		if st.reach.dominates(ev.Instr, u.instr, false) {
			return true
		}
	}
	return false
}

// onceOnly reports whether every write to the field happens in a
// function run by sync.Once (or called from one).
func (st *state) onceOnly(accs []*faccess) bool {
	if st.onceFuncs == nil {
		st.onceFuncs = map[*ssa.Function]bool{}
		var mark func(f *ssa.Function, d int)
		mark = func(f *ssa.Function, d int) {
			if f == nil || d > 3 || st.onceFuncs[f] {
				return
			}
			st.onceFuncs[f] = true
			for _, b := range f.Blocks {
				for _, instr := range b.Instrs {
					if c, ok := instr.(*ssa.Call); ok {
						if callee, _ := goroutines.FuncOf(c.Call.Value); callee != nil {
							mark(callee, d+1)
						}
					}
				}
			}
		}
		for _, fn := range st.ssa.SrcFuncs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					c, ok := instr.(*ssa.Call)
					if !ok {
						continue
					}
					callee := c.Call.StaticCallee()
					if callee == nil {
						continue
					}
					switch syncapi.Func(callee).Kind {
					case syncapi.OnceDo, syncapi.OnceFunc:
						for _, a := range c.Call.Args {
							if f, _ := goroutines.FuncOf(a); f != nil {
								mark(f, 0)
							}
						}
					}
				}
			}
		}
	}
	writes := 0
	for _, a := range accs {
		if a.write {
			writes++
			if !st.onceFuncs[a.fn] {
				return false
			}
		}
	}
	return writes > 0
}

// teardownReset reports whether u clears the field to its zero value in a
// Stop/Close-like method, which runs after the users of the field are
// shut down.
func teardownReset(u *faccess) bool {
	st, ok := u.instr.(*ssa.Store)
	if !ok || !u.write {
		return false
	}
	c, ok := st.Val.(*ssa.Const)
	if !ok || !zeroConst(c) {
		return false
	}
	name := goroutines.Origin(u.fn).Name()
	for _, p := range []string{"Stop", "Close", "Shutdown", "Reset", "Release", "Cleanup", "Dispose", "Teardown"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// initBeforeStart reports whether u stores a freshly made value (a map,
// channel, slice or new object) into the field in a function that then
// starts a goroutine with a go statement on every path from the store:
// a Start method setting up the state its goroutines will share under
// the lock. The go statement publishes the value to them.
func (st *state) initBeforeStart(u *faccess) bool {
	store, ok := u.instr.(*ssa.Store)
	if !ok || !u.write || u.elem {
		return false
	}
	switch store.Val.(type) {
	case *ssa.MakeMap, *ssa.MakeChan, *ssa.MakeSlice, *ssa.Alloc:
	default:
		return false
	}
	for _, b := range u.fn.Blocks {
		for _, instr := range b.Instrs {
			if g, isGo := instr.(*ssa.Go); isGo && st.reach.dominates(store, g, false) {
				return true
			}
		}
	}
	return false
}

// afterJoin reports whether u, a read, runs after a join on every path
// to it: a call of a method named Wait (sync.WaitGroup's, errgroup's, or
// a pool's own, which joins its workers) in a block that dominates it.
// Collecting what the workers wrote after waiting for them is ordered
// by the join, whatever lock the workers wrote under.
func afterJoin(u *faccess) bool {
	if u.write {
		return false
	}
	b := u.instr.Block()
	for d := b; d != nil; d = d.Idom() {
		for _, in := range d.Instrs {
			if d == b && in == u.instr {
				break
			}
			call, ok := in.(*ssa.Call)
			if !ok {
				continue
			}
			var name string
			if call.Call.IsInvoke() {
				name = call.Call.Method.Name()
			} else if callee := call.Call.StaticCallee(); callee != nil {
				name = callee.Name()
			}
			if name == "Wait" && call.Call.Signature().Params().Len() == 0 {
				return true
			}
		}
	}
	return false
}

// zeroConst reports whether c is its type's zero value: nil, 0, false,
// "" or a zero struct or array.
func zeroConst(c *ssa.Const) bool {
	if c.Value == nil {
		return true // nil, or the zero value of a struct or array
	}
	switch c.Value.Kind() {
	case constant.Bool:
		return !constant.BoolVal(c.Value)
	case constant.String:
		return constant.StringVal(c.Value) == ""
	case constant.Int, constant.Float, constant.Complex:
		return constant.Sign(c.Value) == 0
	}
	return false
}

// entryPoint reports whether fn may be called by several goroutines
// without a protocol the analysis cannot see: an API entry, a method or
// function of a main package, or a named function that runs on a
// goroutine this package starts.
func (st *state) entryPoint(fn *ssa.Function) bool {
	if apiEntry(fn) {
		return true
	}
	if fn.Parent() != nil {
		return false
	}
	return st.pass.Pkg.Name() == "main" || st.spawnEntry(fn)
}

// spawnEntry reports whether fn is started directly as a goroutine.
func (st *state) spawnEntry(fn *ssa.Function) bool {
	for _, s := range st.g.Spawns {
		if s.Entry != nil && goroutines.Origin(s.Entry) == goroutines.Origin(fn) {
			return true
		}
	}
	return false
}

// rootOf follows field selections, loads of them and conversions back
// to the value a field path starts from.
func rootOf(v ssa.Value) ssa.Value {
	for i := 0; i < 16; i++ {
		switch x := v.(type) {
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			return v
		}
	}
	return v
}

// fresh reports whether the access is to an object that its function
// made itself (an allocation, or the result of a constructor call) and
// has not yet published when the access runs: no other goroutine can
// see it, so the locks held there say nothing about how the type's
// shared values are guarded.
func (st *state) fresh(a *faccess) bool {
	if a.root == nil || a.instr == nil {
		return false
	}
	switch r := a.root.(type) {
	case *ssa.Alloc:
		if !r.Heap {
			return false
		}
	case *ssa.Call:
		callee := r.Call.StaticCallee()
		if callee == nil {
			return false
		}
		ok, seen := st.ctors[callee]
		if !seen {
			ok = ssax.FreshResult(callee)
			st.ctors[callee] = ok
		}
		if !ok {
			return false
		}
	default:
		return false
	}
	p, seen := st.publish[a.root]
	if !seen {
		p.points, p.ok = ssax.PublishPointsOf(a.root)
		st.publish[a.root] = p
	}
	return p.ok && ssax.NoneBefore(p.points, a.instr)
}

// publishPoints memoizes ssax.PublishPointsOf for a value.
type publishPoints struct {
	points []ssa.Instruction
	ok     bool
}
