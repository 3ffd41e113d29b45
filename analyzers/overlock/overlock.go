package overlock

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/internal/panicguard"
	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/blocking"
	"github.com/syncvet/syncvet/passes/goroutines"
	"github.com/syncvet/syncvet/passes/lockset"
)

// Analyzer reports over-locking.
var Analyzer = &analysis.Analyzer{
	Name:     "overlock",
	Doc:      Doc,
	URL:      "https://pkg.go.dev/github.com/syncvet/syncvet/analyzers/overlock",
	Requires: []*analysis.Analyzer{buildssa.Analyzer, lockset.Analyzer, blocking.Analyzer, goroutines.Analyzer},
	Run:      panicguard.Wrap("overlock", run),
}

// Categories of findings.
const (
	CatBlocking    = "blocking"
	CatUnreleased  = "unreleased"
	CatGuardsNone  = "guards-nothing"
	CatEmpty       = "empty-section"
	CatDeferInLoop = "defer-in-loop"
)

func run(pass *analysis.Pass) (any, error) {
	ssainput := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	c := &checker{
		pass: pass,
		ls:   pass.ResultOf[lockset.Analyzer].(*lockset.Result),
		bl:   pass.ResultOf[blocking.Analyzer].(*blocking.Result),
		gr:   pass.ResultOf[goroutines.Analyzer].(*goroutines.Result),
	}
	c.tok = newTokens(pass.Pkg.Path(), ssainput.SrcFuncs, c.ls, c.bl)
	c.funcs = ssainput.SrcFuncs
	c.viaRoot = map[string][]analysis.Diagnostic{}
	c.sameWait = map[string][]analysis.Diagnostic{}
	for _, fn := range ssainput.SrcFuncs {
		c.semaphores(fn)
		fl := c.ls.Func(fn)
		if fl == nil || len(fl.Events()) == 0 {
			continue
		}
		c.heldAcrossBlocking(fn, fl)
		c.unreleased(fn, fl)
		c.guardsNothing(fn, fl)
		c.deferInLoop(fn, fl)
	}
	c.flushSameWait()
	c.flushIndirect()
	return nil, nil
}

type checker struct {
	pass *analysis.Pass
	ls   *lockset.Result
	bl   *blocking.Result
	gr   *goroutines.Result
	tok  *tokens
	// peers indexes the serving operations on channel and WaitGroup
	// fields, entries the functions started as goroutines; built on use
	// by peerFree.
	peers   map[*types.Var]*fieldPeers
	peerIDs map[string]*fieldPeers // the same, by ssax.FieldID
	// sameWait holds direct channel findings grouped by sameWaitKey.
	sameWait      map[string][]analysis.Diagnostic
	sameWaitOrder []string
	valLocks      map[string]bool // lock classes taken by functions used as values
	entries       map[*ssa.Function]bool
	promptPeer    map[*ssa.Function]bool // entries that do no slow work (prompt)
	// calls indexes call expressions by left parenthesis, built on use.
	calls map[token.Pos]*ast.CallExpr
	// returns holds the positions of return statements, built on use.
	returns map[token.Pos]bool
	// funcs are the package's functions; closedOnly caches closedOnlyAt.
	funcs []*ssa.Function
	// writeLocked holds the lock classes the package write-locks
	// somewhere (readOnlyLock).
	writeLocked map[string]bool
	// cancelFields memoizes cancelField.
	cancelFields map[*types.Var]bool
	closedOnly   map[string]bool
	// viaRoot holds the findings of blocking operations reached through
	// calls, by operation, in rootOrder; flushIndirect reports them.
	viaRoot   map[string][]analysis.Diagnostic
	rootOrder []string
	// ioOnly memoizes ioOnlyLock by lock class.
	ioOnly map[string]bool
	// condWakers holds, by the class of a Cond's lock, the functions
	// that signal or broadcast it (wakerNeeds).
	condWakers map[string][]*ssa.Function
}

// heldAcrossBlocking reports blocking operations reached with a lock
// held on every path. One critical section is one finding: its first
// blocking operation is reported, the others go to Related with a
// count, since one Unlock placement fixes them all.
func (c *checker) heldAcrossBlocking(fn *ssa.Function, fl *lockset.FuncLocks) {
	type finding struct {
		op    *blocking.Op
		locks []lockset.Lock
		names []string
		note  string // what a Cond.Wait releases and who needs the rest
	}
	var order []string
	groups := map[string][]finding{}
	inTest := c.testEntry(fn)
	ops := c.bl.Ops(fn)
	ops = append(ops[:len(ops):len(ops)], c.bl.DeferredOps(fn)...)
	for _, op := range ops {
		var condL lockset.Lock
		note := ""
		held := fl.MustHeld(op.Instr)
		if d, deferred := op.Instr.(*ssa.Defer); deferred {
			// A deferred call runs as the function returns, before the
			// defers registered ahead of it: an Unlock deferred first
			// has not run yet.
			held = fl.HeldWhenDeferredRuns(d)
			note = ", a deferred call: it runs as the function returns, with the lock still held"
		}
		if op.Kind == blocking.CondWait {
			// Wait releases its Cond's lock, not the others held.
			var ok bool
			if condL, ok = c.condWaitLock(fn, op); !ok {
				continue
			}
		}
		if c.alreadyAwaited(fn, op) {
			continue
		}
		var locks []lockset.Lock
		for _, l := range held {
			if releasedBy(op, l) || handedIn(fl, l) {
				continue
			}
			if op.Kind == blocking.CondWait {
				if l.Key == condL.Key || l.Unknown || l.Anonymous() {
					continue
				}
				waker := c.wakerNeeds(condL, l)
				if waker == nil {
					continue
				}
				note = fmt.Sprintf(", which releases only %s: %s takes %s to wake it", condL.Name, names.Func(waker), c.lockName(fl, l))
			}
			if op.Kind == blocking.IO && op.Stream && (sameObject(fl, l, op.Operand) || streamOwner(fl, l)) {
				continue
			}
			if op.Kind == blocking.IO && !op.Stream && (ownedPath(fl, l, op) || c.ioOnlyLock(l)) {
				continue
			}
			if c.tok.exempt(l, op.Instr) || c.peerFree(op, l) || (op.Buffered && !c.receiverNeedsLock(op, l)) {
				continue
			}
			if c.readOnlyLock(l) {
				continue // a read lock that no writer in the package ever waits behind
			}
			if inTest && c.testOnlyLock(l) {
				continue // a test's own lock, held by the test to stall the code under test
			}
			if (op.Kind == blocking.IO && !op.Stream || op.Kind == blocking.Sleep) && c.inTestFile(ssax.Pos(op.Instr)) && c.testOnlyLock(l) {
				continue // a test's own lock across a file read or a sleep: a delay, in a test, not a wait on anyone
			}
			locks = append(locks, l)
		}
		if len(locks) == 0 {
			continue
		}
		names := make([]string, len(locks))
		key := ""
		for i, l := range locks {
			names[i] = c.lockName(fl, l)
			if l.Read {
				names[i] += " (read)"
			}
			key += l.Key + "@" + strconv.Itoa(int(sectionStart(fl, l, ssax.Pos(op.Instr)))) + ";"
		}
		if groups[key] == nil {
			order = append(order, key)
		}
		groups[key] = append(groups[key], finding{op, locks, names, note})
	}
	for _, key := range order {
		g := groups[key]
		sort.SliceStable(g, func(i, j int) bool { return ssax.Pos(g[i].op.Instr) < ssax.Pos(g[j].op.Instr) })
		first := g[0]
		msg := fmt.Sprintf("%s held across blocking %s%s", joinAnd(first.names), first.op.Describe(c.pass.Pkg.Path()), first.note)
		if n := len(g) - 1; n == 1 {
			msg += " (and 1 more blocking operation in the same critical section)"
		} else if n > 1 {
			msg += fmt.Sprintf(" (and %d more blocking operations in the same critical section)", n)
		}
		if c.inTestFile(ssax.Pos(first.op.Instr)) {
			msg += "; in a test" // often a deliberate stall: easy to tell apart
		}
		var related []analysis.RelatedInformation
		if pos := sectionAcquirePos(fl, first.locks[0], first.op.Instr); pos.IsValid() {
			related = append(related, analysis.RelatedInformation{Pos: pos, Message: first.names[0] + " locked here"})
		}
		for _, f := range g[1:] {
			related = append(related, analysis.RelatedInformation{Pos: ssax.Pos(f.op.Instr), Message: "also blocks here: " + f.op.Describe(c.pass.Pkg.Path())})
		}
		d := analysis.Diagnostic{Pos: ssax.Pos(first.op.Instr), Category: CatBlocking, Message: msg, Related: related}
		if first.op.Direct() {
			// Sections that block on the same exported channel field
			// under locks of the same classes are one design (every
			// state change sends its event to the user's channel under
			// the lock): one finding.
			if key := sameWaitKey(first.op, first.locks, c.pass.Pkg.Path()); key != "" {
				if c.sameWait[key] == nil {
					c.sameWaitOrder = append(c.sameWaitOrder, key)
				}
				c.sameWait[key] = append(c.sameWait[key], d)
				continue
			}
			c.pass.Report(d)
			continue
		}
		// Reached through calls: held back, so that the sections that
		// reach one blocking operation through calls make one finding.
		root := first.op.What + "@" + first.op.At
		if c.viaRoot[root] == nil {
			c.rootOrder = append(c.rootOrder, root)
		}
		c.viaRoot[root] = append(c.viaRoot[root], d)
	}
}

// flushSameWait reports each group of direct channel findings (see
// sameWaitKey) once, at its first position, with the others related.
func (c *checker) flushSameWait() {
	c.flushGroups(c.sameWaitOrder, c.sameWait, "section blocks", "sections block", "on that channel under the same lock", "also here: ")
}

// flushIndirect reports, for each blocking operation that critical
// sections reach through calls, the first such section (by position),
// with the others as related positions and a count: the operation deep
// in the chain is one problem however many sections reach it.
func (c *checker) flushIndirect() {
	c.flushGroups(c.rootOrder, c.viaRoot, "section reaches", "sections reach", "it through calls", "also reached here: ")
}

// flushGroups reports each group of findings once, at its first
// position, counting the others in the message ("and 2 more critical
// sections reach it through calls") and listing them as related.
func (c *checker) flushGroups(order []string, groups map[string][]analysis.Diagnostic, one, many, tail, rel string) {
	for _, key := range order {
		ds := groups[key]
		sort.SliceStable(ds, func(i, j int) bool { return ds[i].Pos < ds[j].Pos })
		d := ds[0]
		if n := len(ds) - 1; n > 0 {
			d.Message += fmt.Sprintf(" (and %d more critical %s %s)", n, names.Plural(n, one, many), tail)
			for _, o := range ds[1:] {
				d.Related = append(d.Related, analysis.RelatedInformation{Pos: o.Pos, Message: rel + o.Message})
			}
		}
		c.pass.Report(d)
	}
}

// sameWaitKey identifies a direct channel operation on an exported
// channel field of one of the package's types (a channel the user hands
// in, such as a config's event channel) by its kind, the field and the
// classes of the locks held, or "" for other operations. Every section
// that sends its events to the user's channel under the lock is one
// design and one finding.
func sameWaitKey(op *blocking.Op, locks []lockset.Lock, pkg string) string {
	if op.Operand == nil || (op.Kind != blocking.Send && op.Kind != blocking.Recv) {
		return ""
	}
	fa := ssax.FieldAddrOf(op.Operand)
	if fa == nil {
		return ""
	}
	if f := ssax.FieldOf(fa); f == nil || !f.Exported() {
		return ""
	}
	id := ssax.FieldID(fa)
	if !strings.HasPrefix(id, pkg+".") {
		return "" // a field of another package's type (a timer's C)
	}
	classes := make([]string, len(locks))
	for i, l := range locks {
		classes[i] = l.Class
	}
	sort.Strings(classes)
	return op.Kind.String() + " " + id + " under " + strings.Join(classes, ",")
}

// alreadyAwaited reports whether op, a call that ends in a receive,
// repeats an earlier call of fn on the same receiver that ends in the
// same receive (it runs on every path to op), from a channel that the
// package only closes and never sends on: once the first receive has
// returned the channel is closed, and the second cannot block (a
// command's result read again after cmd.Err() awaited it).
func (c *checker) alreadyAwaited(fn *ssa.Function, op *blocking.Op) bool {
	call, ok := op.Instr.(ssa.CallInstruction)
	if !ok || op.Kind != blocking.Recv || len(op.Via) == 0 || len(call.Common().Args) == 0 {
		return false
	}
	recv := call.Common().Args[0]
	for _, o2 := range c.bl.Ops(fn) {
		c2, ok := o2.Instr.(ssa.CallInstruction)
		if !ok || o2 == op || o2.Kind != op.Kind || o2.At != op.At || len(c2.Common().Args) == 0 || c2.Common().Args[0] != recv {
			continue
		}
		if !ssax.Dominates(o2.Instr, op.Instr) {
			continue
		}
		return c.closedOnlyAt(op.At)
	}
	return false
}

// closedOnlyAt reports whether the receives of this package at "file:line"
// take from a channel field or variable that the package never sends on
// and that other packages cannot reach.
func (c *checker) closedOnlyAt(at string) bool {
	if c.closedOnly == nil {
		c.closedOnly = map[string]bool{}
		sent := ssax.SentChannels(c.funcs)
		recvAt := map[string][]types.Object{}
		for _, fn := range c.funcs {
			for _, b := range fn.Blocks {
				for _, in := range b.Instrs {
					if x, ok := in.(*ssa.UnOp); ok && x.Op == token.ARROW {
						p := c.pass.Fset.Position(x.Pos())
						key := filepath.Base(p.Filename) + ":" + strconv.Itoa(p.Line)
						recvAt[key] = append(recvAt[key], ssax.ChanVar(x.X))
					}
				}
			}
		}
		for key, chans := range recvAt {
			ok := true
			for _, o := range chans {
				if o == nil || sent[o] || o.Exported() {
					ok = false
				}
			}
			c.closedOnly[key] = ok
		}
	}
	return c.closedOnly[at]
}

// sectionStart returns the position of the last acquisition of l in
// fl's function before pos: the start of the critical section that
// holds l at pos, as far as source order tells.
func sectionStart(fl *lockset.FuncLocks, l lockset.Lock, pos token.Pos) token.Pos {
	start := token.NoPos
	for _, e := range fl.Events() {
		if e.Lock.Key == l.Key && (e.Kind == lockset.Acquire || e.Kind == lockset.TryAcquire) && e.Instr.Pos() < pos && e.Instr.Pos() > start {
			start = e.Instr.Pos()
		}
	}
	return start
}

// testEntry reports whether fn is a test, benchmark or fuzz function
// itself (not a method or a function literal of a test file): the code
// that drives the code under test.
func (c *checker) testEntry(fn *ssa.Function) bool {
	if fn.Parent() != nil || fn.Signature.Recv() != nil || !c.inTestFile(fn.Pos()) {
		return false
	}
	for _, p := range []string{"Test", "Benchmark", "Fuzz"} {
		if strings.HasPrefix(fn.Name(), p) {
			return true
		}
	}
	return false
}

// inTestFile reports whether pos lies in a _test.go file.
func (c *checker) inTestFile(pos token.Pos) bool {
	return ssax.InTestFile(c.pass.Fset, pos)
}

// readOnlyLock reports whether l is a read lock of an unexported mutex
// field of the package that nothing in the package ever write-locks:
// readers do not exclude each other, so holding it blocks no one.
func (c *checker) readOnlyLock(l lockset.Lock) bool {
	if !l.Read || l.Unknown || l.Anonymous() || !c.tok.ownClass(l.Class) {
		return false
	}
	field := l.Class[strings.LastIndex(l.Class, ".")+1:]
	if field == "" || ast.IsExported(field) {
		return false // an exported field: its users may write-lock it
	}
	if c.writeLocked == nil {
		c.writeLocked = map[string]bool{}
		for _, fl := range c.ls.Funcs() {
			for _, e := range fl.Events() {
				if (e.Kind == lockset.Acquire || e.Kind == lockset.Take) && !e.Lock.Read {
					c.writeLocked[e.Lock.Class] = true
				}
			}
		}
	}
	return !c.writeLocked[l.Class]
}

// testOnlyLock reports whether l belongs to the package's tests: a field
// of a type, or a package variable, declared in a _test.go file, or a
// lock the test function made itself. A test that holds such a lock
// across its own blocking work does so on purpose, to stall the code
// under test; test doubles and reduced bug kernels that lock in their
// methods are checked like any code.
func (c *checker) testOnlyLock(l lockset.Lock) bool {
	if l.Unknown {
		return false
	}
	if l.Anonymous() {
		return true // a local of the test function, known only by its type
	}
	class := l.Class
	if strings.HasPrefix(class, "(") {
		// "(*example.com/p.T).mu": the owner type.
		end := strings.Index(class, ")")
		if end < 0 {
			return false
		}
		class = strings.TrimLeft(class[1:end], "*")
	}
	name, ok := strings.CutPrefix(class, c.pass.Pkg.Path()+".")
	if !ok {
		return false
	}
	if i := strings.IndexAny(name, "[."); i >= 0 {
		name = name[:i]
	}
	obj := c.pass.Pkg.Scope().Lookup(name)
	return obj != nil && c.inTestFile(obj.Pos())
}

func joinAnd(names []string) string {
	switch len(names) {
	case 1:
		return names[0]
	case 2:
		return names[0] + " and " + names[1]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// handedIn reports a lock that the function holds only because a
// callee's summary says the callee returns holding it, and that the
// function never unlocks: a callee that unlocks its caller's lock and
// locks it again on return (testing's B.Run) looks like an acquire
// wrapper, and the lock was never this function's to hold.
func handedIn(fl *lockset.FuncLocks, l lockset.Lock) bool {
	// A call that both releases and acquires l (its summary says it
	// unlocks and relocks) is neutral.
	rel := map[ssa.Instruction]bool{}
	acq := map[ssa.Instruction]bool{}
	for _, e := range fl.Events() {
		if e.Lock.Key == l.Key && len(e.Via) > 0 {
			switch e.Kind {
			case lockset.Release:
				rel[e.Instr] = true
			case lockset.Acquire:
				acq[e.Instr] = true
			}
		}
	}
	for _, e := range fl.Events() {
		if e.Lock.Key != l.Key || (rel[e.Instr] && acq[e.Instr]) {
			continue
		}
		switch e.Kind {
		case lockset.Release:
			return false
		case lockset.Acquire, lockset.TryAcquire:
			if len(e.Via) == 0 {
				return false
			}
		}
	}
	return true
}

// releasedBy reports whether op may run with l unlocked: the function
// or the chain of calls unlocked it first.
func releasedBy(op *blocking.Op, l lockset.Lock) bool {
	for _, r := range op.Releases {
		if r.Key == l.Key {
			return true
		}
		if (r.Unknown || l.Unknown) && r.Class == l.Class && !strings.HasPrefix(l.Class, "*") {
			return true
		}
		if r.Unknown && strings.HasPrefix(r.Class, "*") {
			return true // an unnamed mutex was unlocked: be safe
		}
	}
	return false
}

// sameObject reports whether the stream operand and the lock are
// reached from the same value (c.mu and c.conn).
func sameObject(fl *lockset.FuncLocks, l lockset.Lock, operand ssa.Value) bool {
	if operand == nil {
		return false
	}
	root := blocking.Root(operand)
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
		if recv != nil && blocking.Root(recv) == root {
			return true
		}
	}
	// The lock's access path may also name the root directly.
	ref := fl.Ref(l)
	switch r := root.(type) {
	case *ssa.Parameter:
		if ref.Kind == lockset.RefParam {
			for i, p := range fl.Fn.Params {
				if p == r {
					return ref.Index == i
				}
			}
		}
	case *ssa.FreeVar:
		if ref.Kind == lockset.RefFreeVar {
			for i, p := range fl.Fn.FreeVars {
				if p == r {
					return ref.Index == i
				}
			}
		}
	}
	return false
}

// streamOwner reports whether l is a field of a struct that also holds
// a file or connection: such a mutex commonly serialises that stream's
// I/O (tls.Conn's handshakeMutex around the handshake's writes), so
// stream I/O under it is presumed deliberate even when the analysis
// cannot trace the stream back to the same object.
func streamOwner(fl *lockset.FuncLocks, l lockset.Lock) bool {
	for _, e := range fl.Events() {
		if e.Lock.Key != l.Key || (e.Kind != lockset.Acquire && e.Kind != lockset.TryAcquire) || len(e.Via) > 0 {
			continue
		}
		call, ok := e.Instr.(ssa.CallInstruction)
		if !ok || call.Common().IsInvoke() || len(call.Common().Args) == 0 {
			continue
		}
		fa, ok := call.Common().Args[0].(*ssa.FieldAddr)
		if !ok {
			continue
		}
		pt, ok := fa.X.Type().Underlying().(*types.Pointer)
		if !ok {
			continue
		}
		st, ok := pt.Elem().Underlying().(*types.Struct)
		if !ok {
			continue
		}
		for i := 0; i < st.NumFields(); i++ {
			if blocking.IsStreamType(st.Field(i).Type()) {
				return true
			}
		}
	}
	return false
}

// acquirePos returns where l was locked, directly or through a call.
// sectionAcquirePos returns the position of the acquisition of l that
// opens the critical section around instr: the nearest one that
// dominates it, else the nearest before it in the source, else the
// function's first.
func sectionAcquirePos(fl *lockset.FuncLocks, l lockset.Lock, instr ssa.Instruction) token.Pos {
	var best ssa.Instruction
	for _, e := range fl.Events() {
		if e.Lock.Key != l.Key || (e.Kind != lockset.Acquire && e.Kind != lockset.TryAcquire) || !ssax.Dominates(e.Instr, instr) {
			continue
		}
		if best == nil || ssax.Dominates(best, e.Instr) {
			best = e.Instr
		}
	}
	if best != nil {
		return best.Pos()
	}
	if pos := sectionStart(fl, l, instr.Pos()); pos.IsValid() {
		return pos
	}
	return acquirePos(fl, l)
}

func acquirePos(fl *lockset.FuncLocks, l lockset.Lock) token.Pos {
	for _, e := range fl.Events() {
		if e.Lock.Key == l.Key && (e.Kind == lockset.Acquire || e.Kind == lockset.TryAcquire) {
			return e.Instr.Pos()
		}
	}
	return token.NoPos
}

// lockExpr returns the source expression X of the direct X.Lock() or
// X.RLock() calls that acquire l in the function, when they all agree,
// so that X.Unlock() undoes them; "" otherwise.
func (c *checker) lockExpr(fl *lockset.FuncLocks, l lockset.Lock) string {
	expr := ""
	for _, e := range fl.Events() {
		if e.Lock.Key != l.Key || (e.Kind != lockset.Acquire && e.Kind != lockset.TryAcquire) {
			continue
		}
		if len(e.Via) > 0 {
			return ""
		}
		call, ok := c.callAt(e.Instr.Pos())
		if !ok {
			return ""
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return ""
		}
		if !c.acquires(sel) {
			return ""
		}
		x := types.ExprString(sel.X)
		if expr != "" && expr != x {
			return ""
		}
		expr = x
	}
	if !validExpr(expr) {
		return ""
	}
	return expr
}

// acquires reports whether the method call selected by sel takes a
// lock (Lock, RLock, TryLock, TryRLock of a mutex or a Locker).
func (c *checker) acquires(sel *ast.SelectorExpr) bool {
	s := c.pass.TypesInfo.Selections[sel]
	if s == nil {
		return false
	}
	fn, ok := s.Obj().(*types.Func)
	return ok && syncapi.Method(s.Recv(), fn).Acquire()
}

// lockName names l for a message: lockset's name, unless the source
// expression that locks it says otherwise (lockset names some local
// roots by a placeholder); an embedded mutex keeps its field name
// ("hosts.Mutex" rather than "hosts").
func (c *checker) lockName(fl *lockset.FuncLocks, l lockset.Lock) string {
	expr := c.lockExpr(fl, l)
	if expr == "" || expr == l.Name || strings.HasPrefix(l.Name, expr+".") {
		return l.Name
	}
	return expr
}

// callAt returns the call expression whose left parenthesis is at pos.
func (c *checker) callAt(pos token.Pos) (*ast.CallExpr, bool) {
	if c.calls == nil {
		c.calls = map[token.Pos]*ast.CallExpr{}
		for _, f := range c.pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					c.calls[call.Lparen] = call
				}
				return true
			})
		}
	}
	call, ok := c.calls[pos]
	return call, ok
}

// validExpr reports whether s parses as a Go selector chain.
func validExpr(s string) bool {
	for _, part := range strings.Split(s, ".") {
		if !token.IsIdentifier(part) {
			return false
		}
	}
	return s != ""
}

// lineIndent returns the whitespace before pos on its line, if pos is
// the first token of the line.
func (c *checker) lineIndent(pos token.Pos) (string, bool) {
	tf := c.pass.Fset.File(pos)
	if tf == nil {
		return "", false
	}
	src, err := c.pass.ReadFile(tf.Name())
	if err != nil {
		return "", false
	}
	off := tf.Offset(pos)
	start := tf.Offset(tf.LineStart(tf.Line(pos)))
	if off > len(src) || start > off {
		return "", false
	}
	indent := src[start:off]
	if len(bytes.TrimLeft(indent, " \t")) != 0 {
		return "", false
	}
	return string(indent), true
}
