package overlock

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/names"
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
	Run:      run,
}

// Categories of findings.
const (
	CatBlocking    = "blocking"
	CatUnreleased  = "unreleased"
	CatGuardsNone  = "guards-nothing"
	CatEmpty       = "empty-section"
	CatDeferInLoop = "defer-in-loop"
)

func run(pass *analysis.Pass) (res any, err error) {
	defer func() {
		if p := recover(); p != nil {
			res = nil
			err = fmt.Errorf("internal error in overlock: %v\n%s", p, debug.Stack())
		}
	}()
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
	funcs      []*ssa.Function
	closedOnly map[string]bool
	// viaRoot holds the findings of blocking operations reached through
	// calls, by operation, in rootOrder; flushIndirect reports them.
	viaRoot   map[string][]analysis.Diagnostic
	rootOrder []string
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
	}
	var order []string
	groups := map[string][]finding{}
	inTest := c.testEntry(fn)
	for _, op := range c.bl.Ops(fn) {
		if op.Kind == blocking.CondWait || c.alreadyAwaited(fn, op) {
			continue
		}
		var locks []lockset.Lock
		for _, l := range fl.MustHeld(op.Instr) {
			if releasedBy(op, l) || handedIn(fl, l) {
				continue
			}
			if op.Kind == blocking.IO && op.Stream && (sameObject(fl, l, op.Operand) || streamOwner(fl, l)) {
				continue
			}
			if c.tok.exempt(l, op.Instr) || c.peerFree(op, l) || (op.Buffered && !c.receiverNeedsLock(op, l)) {
				continue
			}
			if inTest && c.testOnlyLock(l) {
				continue // a test's own lock, held by the test to stall the code under test
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
			key += l.Key + "@" + strconv.Itoa(int(sectionStart(fl, l, op.Instr.Pos()))) + ";"
		}
		if groups[key] == nil {
			order = append(order, key)
		}
		groups[key] = append(groups[key], finding{op, locks, names})
	}
	for _, key := range order {
		g := groups[key]
		sort.SliceStable(g, func(i, j int) bool { return g[i].op.Instr.Pos() < g[j].op.Instr.Pos() })
		first := g[0]
		msg := fmt.Sprintf("%s held across blocking %s", joinAnd(first.names), first.op.Describe(c.pass.Pkg.Path()))
		if n := len(g) - 1; n == 1 {
			msg += " (and 1 more blocking operation in the same critical section)"
		} else if n > 1 {
			msg += fmt.Sprintf(" (and %d more blocking operations in the same critical section)", n)
		}
		if c.inTestFile(first.op.Instr.Pos()) {
			msg += "; in a test" // often a deliberate stall: easy to tell apart
		}
		var related []analysis.RelatedInformation
		if pos := acquirePos(fl, first.locks[0]); pos.IsValid() {
			related = append(related, analysis.RelatedInformation{Pos: pos, Message: first.names[0] + " locked here"})
		}
		for _, f := range g[1:] {
			related = append(related, analysis.RelatedInformation{Pos: f.op.Instr.Pos(), Message: "also blocks here: " + f.op.Describe(c.pass.Pkg.Path())})
		}
		d := analysis.Diagnostic{Pos: first.op.Instr.Pos(), Category: CatBlocking, Message: msg, Related: related}
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
		if !runsBefore(o2.Instr, op.Instr) {
			continue
		}
		return c.closedOnlyAt(op.At)
	}
	return false
}

// runsBefore reports whether a runs on every path to b in one function.
func runsBefore(a, b ssa.Instruction) bool {
	if a.Block() != b.Block() {
		return a.Block().Dominates(b.Block())
	}
	for _, in := range a.Block().Instrs {
		if in == a {
			return true
		}
		if in == b {
			return false
		}
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
	f := c.pass.Fset.File(pos)
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
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
func acquirePos(fl *lockset.FuncLocks, l lockset.Lock) token.Pos {
	for _, e := range fl.Events() {
		if e.Lock.Key == l.Key && (e.Kind == lockset.Acquire || e.Kind == lockset.TryAcquire) {
			return e.Instr.Pos()
		}
	}
	return token.NoPos
}

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
			if len(freeAt) == 0 || conditionalAcquire(fn, heldAt, freeAt) {
				continue
			}
			reported[l.Key] = true
			for _, hr := range heldAt {
				c.reportUnreleased(fn, fl, hr, l)
			}
		}
	}
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

// guardsNothing reports Lock/Unlock pairs whose section touches no
// shared memory, and empty ones.
func (c *checker) guardsNothing(fn *ssa.Function, fl *lockset.FuncLocks) {
	evs := fl.Events()
	releases := map[ssa.Instruction]string{}
	for _, e := range evs {
		if e.Kind == lockset.Release && !e.Deferred && len(e.Via) == 0 {
			releases[e.Instr] = e.Lock.Key
		}
	}
	for _, e := range evs {
		if e.Kind != lockset.Acquire || e.Deferred || len(e.Via) > 0 {
			continue
		}
		unlock, work, ok := section(e.Instr, e.Lock.Key, releases)
		if !ok {
			continue
		}
		d := analysis.Diagnostic{
			Pos:      e.Instr.Pos(),
			Category: CatGuardsNone,
			Message:  fmt.Sprintf("critical section guards nothing: %s is held only around work on local values", e.Lock.Name),
		}
		if !work {
			if c.deliberateEmpty(e.Instr.Pos(), unlock) {
				continue
			}
			d.Category = CatEmpty
			d.Message = fmt.Sprintf("empty critical section: %s is unlocked right after it is locked", e.Lock.Name)
		}
		if unlock != nil {
			d.Related = []analysis.RelatedInformation{{Pos: unlock.Pos(), Message: e.Lock.Name + " unlocked here"}}
		}
		c.pass.Report(d)
	}
}

// deliberateEmpty reports whether an empty section from lock to unlock
// is meant: it is in a test (which exercises the mutex itself, as
// contention loops do), or a comment on the line above the Lock or on a
// line between the Lock and the Unlock explains it (a barrier that waits for the current
// holder, or lets queued readers through).
func (c *checker) deliberateEmpty(lock token.Pos, unlock ssa.Instruction) bool {
	fset := c.pass.Fset
	from := fset.Position(lock)
	if strings.HasSuffix(from.Filename, "_test.go") {
		return true
	}
	to := from.Line
	if unlock != nil {
		if u := fset.Position(unlock.Pos()); u.Filename == from.Filename {
			to = u.Line
		}
	}
	for _, f := range c.pass.Files {
		if fset.File(f.Pos()) != fset.File(lock) {
			continue
		}
		for _, cg := range f.Comments {
			for _, cm := range cg.List {
				if strings.HasPrefix(cm.Text, "//syncvet:") {
					continue // directives are not explanations
				}
				line := fset.Position(cm.Pos()).Line
				if line == from.Line-1 || line > from.Line && line < to {
					return true
				}
			}
		}
	}
	return false
}

// section walks forward from a Lock call to the direct Unlocks of the
// same lock. ok is false if a path leaves the function, or an
// instruction on the way may touch shared memory; work reports whether
// any non-trivial instruction ran in between.
func section(lock ssa.Instruction, key string, releases map[ssa.Instruction]string) (unlock ssa.Instruction, work, ok bool) {
	type point struct {
		b *ssa.BasicBlock
		i int
	}
	start := -1
	for i, in := range lock.Block().Instrs {
		if in == lock {
			start = i
		}
	}
	if start < 0 {
		return nil, false, false
	}
	seen := map[*ssa.BasicBlock]bool{}
	work1 := []point{{lock.Block(), start + 1}}
	steps := 0
	for len(work1) > 0 {
		p := work1[len(work1)-1]
		work1 = work1[:len(work1)-1]
		done := false
		for i := p.i; i < len(p.b.Instrs) && !done; i++ {
			if steps++; steps > 200 {
				return nil, false, false
			}
			in := p.b.Instrs[i]
			if k, isRel := releases[in]; isRel && k == key {
				unlock = in
				done = true
				break
			}
			switch x := in.(type) {
			case *ssa.Jump, *ssa.If, *ssa.DebugRef, *ssa.Phi:
				continue
			case *ssa.Return, *ssa.Panic:
				return nil, false, false
			case *ssa.BinOp, *ssa.Convert, *ssa.ChangeType, *ssa.Extract, *ssa.Field, *ssa.Index,
				*ssa.MakeInterface, *ssa.Slice:
				if sl, isSlice := x.(*ssa.Slice); isSlice && isPointer(sl.X.Type()) {
					return nil, false, false
				}
				work = true
			case *ssa.UnOp:
				if x.Op == token.ARROW {
					return nil, false, false
				}
				if x.Op == token.MUL && !localAlloc(x.X) {
					return nil, false, false
				}
				work = true
			case *ssa.Store:
				if !localAlloc(x.Addr) {
					return nil, false, false
				}
				work = true
			case *ssa.FieldAddr, *ssa.IndexAddr:
				// Address arithmetic touches nothing; loads and stores do.
			case *ssa.Alloc:
				if x.Heap {
					return nil, false, false
				}
			default:
				return nil, false, false // calls, channel ops, maps, goroutines...
			}
		}
		if done {
			continue
		}
		for _, s := range p.b.Succs {
			if !seen[s] {
				seen[s] = true
				work1 = append(work1, point{s, 0})
			}
		}
	}
	return unlock, work, unlock != nil
}

func isPointer(t types.Type) bool {
	_, ok := t.Underlying().(*types.Pointer)
	return ok
}

// localAlloc reports whether addr is (a field or element of) a
// non-escaping local variable.
func localAlloc(addr ssa.Value) bool {
	for i := 0; i < 8; i++ {
		switch x := addr.(type) {
		case *ssa.Alloc:
			return !x.Heap
		case *ssa.FieldAddr:
			addr = x.X
		case *ssa.IndexAddr:
			if _, ok := x.X.Type().Underlying().(*types.Pointer); !ok {
				return false // slice element: shared backing array
			}
			addr = x.X
		default:
			return false
		}
	}
	return false
}

// deferInLoop reports deferred unlocks inside loops.
func (c *checker) deferInLoop(fn *ssa.Function, fl *lockset.FuncLocks) {
	var loops map[*ssa.BasicBlock]bool
	seen := map[ssa.Instruction]bool{}
	for _, e := range fl.Events() {
		if !e.Deferred || e.Kind != lockset.Release || seen[e.Instr] {
			continue
		}
		if loops == nil {
			loops = lockset.LoopBlocks(fn)
		}
		if !loops[e.Instr.Block()] || loopVariant(deferredRecv(e.Instr), loops) {
			continue
		}
		seen[e.Instr] = true
		c.pass.Report(analysis.Diagnostic{
			Pos:      e.Instr.Pos(),
			Category: CatDeferInLoop,
			Message:  fmt.Sprintf("deferred unlock of %s inside a loop: the lock stays held until the function returns, not to the end of the iteration", e.Lock.Name),
		})
	}
}

// deferredRecv returns the mutex a deferred call unlocks.
func deferredRecv(instr ssa.Instruction) ssa.Value {
	d, ok := instr.(*ssa.Defer)
	if !ok {
		return nil
	}
	if d.Call.IsInvoke() {
		return d.Call.Value
	}
	if len(d.Call.Args) > 0 {
		return d.Call.Args[0]
	}
	return nil
}

// loopVariant reports whether v may denote a different object on each
// iteration: it is reached through a loop-carried variable, an element
// taken by a loop-varying index, or a value computed anew in the loop.
// Deferring the unlock of a different mutex per iteration (lock every
// ancestor, every shard) is deliberate.
func loopVariant(v ssa.Value, loops map[*ssa.BasicBlock]bool) bool {
	for i := 0; i < 16 && v != nil; i++ {
		switch x := v.(type) {
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.Field:
			v = x.X
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return false
			}
			if al, ok := x.X.(*ssa.Alloc); ok {
				return loops[al.Block()] // a variable declared in the loop
			}
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.IndexAddr:
			if inst, ok := x.Index.(ssa.Instruction); ok && loops[inst.Block()] {
				return true
			}
			v = x.X
		case *ssa.Index:
			if inst, ok := x.Index.(ssa.Instruction); ok && loops[inst.Block()] {
				return true
			}
			v = x.X
		case *ssa.Phi:
			return loops[x.Block()]
		case *ssa.Extract, *ssa.Lookup, *ssa.Call, *ssa.TypeAssert:
			return loops[x.(ssa.Instruction).Block()]
		default:
			return false
		}
	}
	return false
}
