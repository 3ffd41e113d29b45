package blocking

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/factscope"
	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/internal/panicguard"
	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/callees"
	"github.com/syncvet/syncvet/passes/lockset"
)

// Analyzer computes may-block facts and the per-instruction Result.
var Analyzer = &analysis.Analyzer{
	Name:       "blocking",
	Doc:        "compute which functions and instructions may block the calling goroutine",
	URL:        "https://pkg.go.dev/github.com/syncvet/syncvet/passes/blocking",
	Requires:   []*analysis.Analyzer{buildssa.Analyzer, callees.Analyzer, lockset.Analyzer},
	ResultType: reflect.TypeOf((*Result)(nil)),
	FactTypes:  []analysis.Fact{new(Summary)},
	Run:        panicguard.Wrap("blocking", run),
}

// Kind is the sort of blocking operation at the end of a chain.
type Kind uint8

const (
	None     Kind = iota
	Send          // send on a channel that may be full or unbuffered
	Recv          // receive from a channel (also range and <-ctx.Done())
	Select        // select without default
	Sleep         // time.Sleep
	Wait          // WaitGroup.Wait, errgroup Wait, process waits, semaphores
	CondWait      // sync.Cond.Wait: releases its lock while it waits
	IO            // file, network or syscall I/O
)

var kindNames = [...]string{"none", "send", "receive", "select", "sleep", "wait", "condwait", "io"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Frame is one call in a chain leading to a blocking operation.
type Frame struct {
	Pkg   string // package path of the called function
	Name  string // name as written inside its package: "(*S).next", "helper", "(*S).run.func1"
	QName string // name qualified by package name: "(*lib.S).next", "lib.helper"
}

// Summary is the fact that a function may block. It is attached to
// fn.Origin() and holds one representative blocking operation.
type Summary struct {
	Kind Kind
	Op   string  // the operation in Go syntax, in the terms of the function that performs it: "receive from s.jobs", "call to time.Sleep"
	Via  []Frame // calls from this function down to the one performing Op; empty when this function performs it
	At   string  // "file.go:12" of the operation
	// Root is the index in the performing chain's first function's
	// parameters (receiver first) from which the blocked-on operand (the
	// channel, or the file or connection of an I/O call) is reached
	// through field and pointer loads, or -1. It lets a caller see that
	// the operand belongs to the same object as a lock it holds.
	Root int
	// Stream reports I/O on a file or connection value (the one Root
	// names, when Root >= 0): a lock held around it may exist to
	// serialise that stream's I/O.
	Stream bool
	// Releases are the locks, relative to this function's parameters and
	// globals, that it may have unlocked (and not locked again) before
	// the operation: a caller holding one of them does not hold it while
	// the operation blocks.
	Releases []lockset.LockRef
	// Buffered, for a send into a constant buffer made at most once per
	// slot where it is made (see Op.Buffered), names the channel field
	// ("path/to/pkg.Type.field"): the send waits only while that
	// field's reader lags. Empty for every other operation.
	Buffered string
	// NonNil are the indices of parameters (receiver first) that the
	// path to the operation tests against nil and finds non-nil (if w
	// != nil { e.Reset(w) }): a call that passes nil for one of them
	// does not reach it.
	NonNil []int
	// True and False are the indices of boolean parameters that the path
	// to the operation branches on and finds true (or false): a call
	// that passes the other constant (flush(false)) does not reach it.
	True, False []int
}

// AFact marks Summary as an analysis.Fact.
func (*Summary) AFact() {}

// String is stable for tests, with every frame qualified by package
// name: blocks(receive from s.jobs via (*basic.S).next).
func (s *Summary) String() string {
	var b strings.Builder
	if s.Kind == CondWait {
		b.WriteString("condwait(")
	} else {
		b.WriteString("blocks(")
	}
	b.WriteString(s.Op)
	if len(s.Releases) > 0 {
		b.WriteString(" releasing ")
		for i, r := range s.Releases {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(r.String())
		}
	}
	if len(s.Via) > 0 {
		q := make([]string, len(s.Via))
		for i, f := range s.Via {
			q[i] = f.QName
		}
		b.WriteString(" via " + names.Chain(q))
	}
	b.WriteString(")")
	return b.String()
}

// ViaString renders a call chain as seen from package path from:
// functions of that package by their short name, others qualified by
// package name, joined by names.Chain.
func ViaString(via []Frame, from string) string {
	if len(via) == 0 {
		return ""
	}
	parts := make([]string, len(via))
	for i, f := range via {
		if f.Pkg == from {
			parts[i] = f.Name
		} else {
			parts[i] = f.QName
		}
	}
	return names.Chain(parts)
}

// Op says why one instruction may block.
type Op struct {
	Instr ssa.Instruction
	Kind  Kind
	What  string  // the operation in Go syntax: "receive from s.jobs", "call to wg.Wait"
	Via   []Frame // calls from Instr down to the operation; empty when Instr itself blocks
	At    string  // "file.go:12" of the operation (of Instr when Via is empty)
	// Operand is the value blocked on, as seen in Instr's function: the
	// channel, the file or connection of an I/O call, or for a call the
	// argument from which the callee's operand is reached. Nil if unknown.
	Operand ssa.Value
	// Stream reports I/O on a file or connection: Operand, when known,
	// is that value.
	Stream bool
	// Releases are the locks of Instr's function that may be unlocked
	// when the operation runs: unlocked earlier in the function, or by
	// the chain of calls before it blocks.
	Releases []lockset.Lock
	// Buffered marks a send on a channel with a constant buffer, made
	// once per buffer slot at most where it is made (see bufferedSend):
	// it blocks only while its receiver lags, so whether it matters
	// depends on whether that receiver needs a lock the sender holds.
	// Field names the channel field ("path/to/pkg.Type.field"), when
	// the channel is one; a buffered send on another channel stays out
	// of Summaries altogether.
	Buffered bool
	Field    string
}

// Direct reports whether the instruction itself is the blocking operation.
func (o *Op) Direct() bool { return len(o.Via) == 0 }

// Describe renders the operation for a message, with its chain as seen
// from package path from: "receive from s.jobs (via (*S).next)".
func (o *Op) Describe(from string) string {
	if len(o.Via) == 0 {
		return o.What
	}
	return o.What + " (via " + ViaString(o.Via, from) + ")"
}

// Result answers, for the analysed package, which instructions and
// functions may block.
type Result struct {
	pkg  *types.Package
	ops  map[ssa.Instruction]*Op
	byFn map[*ssa.Function][]*Op
	// deferred are fn's deferred calls that wait on a channel when they
	// run (DeferredOps).
	deferred map[*ssa.Function][]*Op
	local    map[*ssa.Function]*Summary // origin -> summary, nil entries absent
	ext      map[*ssa.Function]*Summary // resolved imported facts and table entries
}

// Op returns why instr may block, or nil if it cannot (or it is not an
// instruction of this package).
func (r *Result) Op(instr ssa.Instruction) *Op {
	if r == nil {
		return nil
	}
	return r.ops[instr]
}

// Ops returns the blocking instructions of fn in block order.
func (r *Result) Ops(fn *ssa.Function) []*Op {
	if r == nil {
		return nil
	}
	return r.byFn[fn]
}

// DeferredOps returns fn's deferred calls that wait on a channel (a
// send, a receive or a select, in the callee) when they run, as the
// function returns. They are not in Ops: what they hold is decided by
// the defers that run before them (lockset's HeldWhenDeferredRuns).
func (r *Result) DeferredOps(fn *ssa.Function) []*Op {
	if r == nil {
		return nil
	}
	return r.deferred[fn]
}

// Summary returns the may-block summary of fn: computed for this
// package, imported as a fact, or from the built-in table. Nil means fn
// is not known to block.
func (r *Result) Summary(fn *ssa.Function) *Summary {
	if r == nil || fn == nil {
		return nil
	}
	o := ssax.Origin(fn)
	if s, ok := r.local[o]; ok {
		return s
	}
	return r.ext[o]
}

func run(pass *analysis.Pass) (any, error) {
	ssainput := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	a := &analyzer{
		pass:  pass,
		ls:    pass.ResultOf[lockset.Analyzer].(*lockset.Result),
		cal:   pass.ResultOf[callees.Analyzer].(*callees.Result),
		rel:   map[*ssa.Function]map[ssa.Instruction][]lockset.Lock{},
		nodes: indexSyntax(pass.Files),
		res: &Result{
			pkg:   pass.Pkg,
			ops:   map[ssa.Instruction]*Op{},
			byFn:  map[*ssa.Function][]*Op{},
			local: map[*ssa.Function]*Summary{},
			ext:   map[*ssa.Function]*Summary{},
		},
		loops: map[*ssa.Function]map[*ssa.BasicBlock]bool{},
	}
	a.fns = ssainput.SrcFuncs
	a.ssapkg = ssainput.Pkg
	a.analyze(ssainput.SrcFuncs)
	return a.res, nil
}

type analyzer struct {
	// limits memoizes limitsGroups: 1 no, 2 yes.
	limits int
	// slotFields memoizes scanSlotField by field.
	slotFields map[*types.Var]bool
	pass       *analysis.Pass
	ls         *lockset.Result
	cal        *callees.Result
	rel        map[*ssa.Function]map[ssa.Instruction][]lockset.Lock
	nodes      map[token.Pos]ast.Node
	res        *Result
	loops      map[*ssa.Function]map[*ssa.BasicBlock]bool
	fns        []*ssa.Function
	// drained caches drainedSend's verdict per channel field.
	drained map[*types.Var]bool
	// drainedElems is the same for map fields of channels.
	drainedElems map[*types.Var]bool
	// sinks memoizes frameworkSink.
	sinks map[*ssa.Function]bool
	// fieldCaps is computed on first use by largeBufferField, with
	// prefilled.
	fieldCaps map[fieldRef]int64
	prefilled map[fieldRef]bool
	// semaphores are the channel fields filled to capacity where they
	// are made and received from elsewhere (tokenReturn).
	semaphores map[fieldRef]bool
	// mutexChans is computed on first use by tokenRelease.
	mutexChans map[fieldRef]bool
	// tokenTypes memoizes tokenChanType by channel type.
	tokenTypes map[string]bool
	// idx is computed on first use by the one-shot channel rules.
	idx    *pkgIndex
	ssapkg *ssa.Package
	// floors memoises fieldFloor.
	floors map[fieldRef]int64
	// globalConsts memoises constSize for package variables.
	globalConsts map[*ssa.Global]int64
	// inForkJoin is set while forkJoinRecv examines workers.
	inForkJoin bool
}

// site is a candidate blocking instruction of a function being summarised.
type site struct {
	instr  ssa.Instruction
	direct *Op           // non-nil for an instruction that blocks by itself
	callee *ssa.Function // origin of a statically called function
	local  bool          // callee is a function of this package
	call   *ssa.Call
	args   []ssa.Value // the callee's arguments, receiver first; nil when they cannot be matched to its parameters
}

// targets returns the functions a call may run and the arguments they
// get, receiver first: the static callee, or for a call of a function
// value or an interface method, the package's functions that the
// callees pass resolves it to. args is nil when the arguments do not
// line up with a target's parameters (a bound method value).
func (a *analyzer) targets(call *ssa.Call) ([]*ssa.Function, []ssa.Value) {
	if callee := call.Call.StaticCallee(); callee != nil {
		return []*ssa.Function{callee}, call.Call.Args
	}
	fns, invoke := a.cal.Callees(call)
	args := call.Call.Args
	if invoke {
		args = append([]ssa.Value{call.Call.Value}, args...)
	}
	for _, f := range fns {
		if len(f.Params) != len(args) {
			return fns, nil
		}
	}
	return fns, args
}

func (a *analyzer) analyze(fns []*ssa.Function) {
	// Deterministic order: by position, then name.
	fns = append([]*ssa.Function(nil), fns...)
	sort.SliceStable(fns, func(i, j int) bool {
		if fns[i].Pos() != fns[j].Pos() {
			return fns[i].Pos() < fns[j].Pos()
		}
		return fns[i].String() < fns[j].String()
	})
	inPkg := map[*ssa.Function]bool{}
	for _, fn := range fns {
		inPkg[fn] = true
	}
	sites := map[*ssa.Function][]site{}
	for _, fn := range fns {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if op := a.directOp(fn, instr); op != nil {
					if !op.Buffered || op.Field != "" {
						sites[fn] = append(sites[fn], site{instr: instr, direct: op})
					}
					continue
				}
				call, ok := instr.(*ssa.Call)
				if !ok {
					continue
				}
				callees, args := a.targets(call)
				for _, callee := range callees {
					o := ssax.Origin(callee)
					if inPkg[o] || a.summaryOf(callee) != nil {
						sites[fn] = append(sites[fn], site{instr: instr, callee: o, local: inPkg[o], call: call, args: args})
					}
				}
			}
		}
	}
	// Fixpoint: each function's summary is its best site; callees'
	// summaries only improve, so this terminates.
	type ranked struct {
		sum  *Summary
		rank [5]int
	}
	best := map[*ssa.Function]ranked{}
	for iter := 0; iter < 64; iter++ {
		changed := false
		for _, fn := range fns {
			cur, have := best[fn]
			for idx, s := range sites[fn] {
				var cand *Summary
				switch {
				case s.direct != nil:
					cand = &Summary{Kind: s.direct.Kind, Op: s.direct.What, At: s.direct.At, Root: paramIndex(fn, s.direct.Operand), Stream: s.direct.Stream,
						Releases: refsOf(a.ls.Func(fn), a.releasedAt(fn, s.instr)), Buffered: s.direct.Field}
					cand.NonNil, cand.True, cand.False = paramGuards(fn, s.instr)
				case s.local:
					cs, ok := best[s.callee]
					if !ok {
						continue
					}
					cand = a.extend(fn, s.callee, cs.sum, s.call, s.args)
				default:
					cand = a.extend(fn, s.callee, a.summaryOf(s.callee), s.call, s.args)
				}
				if cand == nil {
					continue
				}
				rk := [5]int{0, 0, 0, len(cand.Via), idx}
				if cand.Buffered != "" {
					rk[0] = 1 // a send that only the reader's lag can block comes last
				}
				if cand.Kind == CondWait {
					rk[1] = 1
				}
				if len(cand.Releases) > 0 || len(cand.NonNil)+len(cand.True)+len(cand.False) > 0 {
					rk[2] = 1 // (an operation some callers skip comes after one none does)
				}
				if !have || less(rk, cur.rank) {
					cur, have = ranked{cand, rk}, true
					best[fn] = cur
					changed = true
				}
			}
		}
		if !changed {
			break
		}
	}
	export := factscope.Importable(a.pass) // this pass reads only other packages' facts
	for _, fn := range fns {
		if r, ok := best[fn]; ok {
			a.res.local[fn] = r.sum
			if obj, ok := fn.Object().(*types.Func); ok && export && obj.Pkg() == a.pass.Pkg && fn.Parent() == nil && !IsStd(a.pass.Pkg.Path()) {
				a.pass.ExportObjectFact(obj, r.sum)
			}
		}
	}
	// Per-instruction ops.
	for _, fn := range fns {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				op := a.directOp(fn, instr)
				if op != nil {
					op.Releases = a.releasedAt(fn, instr)
				} else {
					op = a.callOp(fn, instr)
				}
				if op != nil {
					a.res.ops[instr] = op
					a.res.byFn[fn] = append(a.res.byFn[fn], op)
				}
				if d, ok := instr.(*ssa.Defer); ok {
					if op := a.deferOp(d); op != nil {
						if a.res.deferred == nil {
							a.res.deferred = map[*ssa.Function][]*Op{}
						}
						a.res.deferred[fn] = append(a.res.deferred[fn], op)
					}
				}
			}
		}
	}
}

func less(x, y [5]int) bool {
	for i := range x {
		if x[i] != y[i] {
			return x[i] < y[i]
		}
	}
	return false
}

// extend builds the summary of fn that reaches callee's operation
// through a call with the given arguments.
func (a *analyzer) extend(fn, callee *ssa.Function, cs *Summary, call *ssa.Call, args []ssa.Value) *Summary {
	if skipsOp(cs, args) {
		return nil
	}
	via := make([]Frame, 0, len(cs.Via)+1)
	via = append(via, frameOf(callee))
	via = append(via, cs.Via...)
	root := -1
	if cs.Root >= 0 && cs.Root < len(args) {
		root = paramIndex(fn, args[cs.Root])
	}
	fl := a.ls.Func(fn)
	rel := refsOf(fl, a.callReleases(fn, call, cs))
	nonNil, isTrue, isFalse := paramGuards(fn, call)
	nonNil = mapGuards(fn, args, cs.NonNil, nonNil)
	isTrue = mapGuards(fn, args, cs.True, isTrue)
	isFalse = mapGuards(fn, args, cs.False, isFalse)
	return &Summary{Kind: cs.Kind, Op: cs.Op, Via: via, At: cs.At, Root: root, Stream: cs.Stream, Releases: rel, Buffered: cs.Buffered,
		NonNil: nonNil, True: isTrue, False: isFalse}
}

// mapGuards adds to out the caller's parameters that the call passes
// straight through for the callee's guarded parameters in guards.
func mapGuards(fn *ssa.Function, args []ssa.Value, guards, out []int) []int {
	for _, i := range guards {
		if i < len(args) {
			if j := directParam(fn, args[i]); j >= 0 {
				out = appendUnique(out, j)
			}
		}
	}
	return out
}

// paramGuards returns the indices of fn's parameters that every path
// to instr tests and finds non-nil (instr's block lies on the non-nil
// side of an if that compares the parameter with nil), true, or false
// (the if branches on the boolean parameter itself; go/ssa turns
// "if !p" into swapped successors).
func paramGuards(fn *ssa.Function, instr ssa.Instruction) (nonNilParams, isTrue, isFalse []int) {
	for b := instr.Block(); b != nil; b = b.Idom() {
		d := b.Idom()
		if d == nil {
			break
		}
		br, ok := ssax.BranchOf(d)
		if !ok || len(b.Preds) != 1 || b.Preds[0] != d {
			continue
		}
		if i := directParam(fn, br.Cond); i >= 0 {
			if br.OnTrue == b {
				isTrue = appendUnique(isTrue, i)
			} else {
				isFalse = appendUnique(isFalse, i)
			}
			continue
		}
		bin, ok := br.Cond.(*ssa.BinOp)
		if !ok || bin.Op != token.EQL && bin.Op != token.NEQ {
			continue
		}
		x := bin.X
		if k, ok := x.(*ssa.Const); ok && k.IsNil() {
			x = bin.Y
		} else if k, ok := bin.Y.(*ssa.Const); !ok || !k.IsNil() {
			continue
		}
		nonNil := br.OnTrue // x != nil
		if bin.Op == token.EQL {
			nonNil = br.OnFalse
		}
		if nonNil != b {
			continue
		}
		if i := directParam(fn, x); i >= 0 {
			nonNilParams = appendUnique(nonNilParams, i)
		}
	}
	return nonNilParams, isTrue, isFalse
}

// directParam returns the index of the parameter v is (through
// conversions to interfaces, and the cell of a parameter that a closure
// captures but never assigns), or -1.
func directParam(fn *ssa.Function, v ssa.Value) int {
	v = ssax.Unwrap(ssax.Unspill(ssax.Unwrap(v, ssax.WrapChangeType|ssax.WrapInterface)), ssax.WrapChangeType|ssax.WrapInterface)
	for i, p := range fn.Params {
		if p == v {
			return i
		}
	}
	return -1
}

func appendUnique(s []int, v int) []int {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// skipsOp reports a call whose constant arguments rule out the path to
// the callee's operation: nil for the parameter it blocks on, or for
// one it tests against nil first (httptest's closeConnChan(c, nil));
// false for a boolean parameter the path needs true, or the reverse
// (flush(false)).
func skipsOp(cs *Summary, args []ssa.Value) bool {
	constArg := func(i int) *ssa.Const {
		if i < 0 || i >= len(args) {
			return nil
		}
		k, _ := args[i].(*ssa.Const)
		return k
	}
	for _, i := range cs.NonNil {
		if k := constArg(i); k != nil && k.IsNil() {
			return true
		}
	}
	for _, i := range cs.True {
		if k := constArg(i); k != nil && k.Value != nil && k.Value.Kind() == constant.Bool && !constant.BoolVal(k.Value) {
			return true
		}
	}
	for _, i := range cs.False {
		if k := constArg(i); k != nil && k.Value != nil && k.Value.Kind() == constant.Bool && constant.BoolVal(k.Value) {
			return true
		}
	}
	k := constArg(cs.Root)
	return k != nil && k.IsNil()
}

// releasedAt returns the locks fn may have released before instr.
func (a *analyzer) releasedAt(fn *ssa.Function, instr ssa.Instruction) []lockset.Lock {
	m, ok := a.rel[fn]
	if !ok {
		m = releaseStates(a.ls, a.ls.Func(fn), fn)
		a.rel[fn] = m
	}
	return m[instr]
}

// callReleases returns the caller's locks that may be unlocked when the
// callee's operation blocks: released before the call, or by the callee.
func (a *analyzer) callReleases(fn *ssa.Function, call *ssa.Call, cs *Summary) []lockset.Lock {
	locks := a.releasedAt(fn, call)
	if len(cs.Releases) > 0 && call.Call.StaticCallee() != nil {
		fl := a.ls.Func(fn)
		for _, r := range cs.Releases {
			locks = lockset.AddLock(locks, fl.MapRef(&call.Call, call.Pos(), r))
		}
	}
	return locks
}

// callOp returns the Op of a call instruction whose callee may block.
func (a *analyzer) callOp(fn *ssa.Function, instr ssa.Instruction) *Op {
	call, ok := instr.(*ssa.Call)
	if !ok {
		return nil
	}
	if k := syncapi.Call(&call.Call).Kind; (k == syncapi.GroupGo || k == syncapi.GroupTryGo) && !a.limitsGroups() {
		return nil // an errgroup's Go waits for a slot only under SetLimit
	}
	callees, args := a.targets(call)
	for _, callee := range callees {
		cs := a.summaryOf(callee)
		if cs == nil || skipsOp(cs, args) {
			continue
		}
		op := summaryOp(instr, callee, cs, args)
		op.Releases = a.callReleases(fn, call, cs)
		return op
	}
	return nil
}

// summaryOp is the Op of instr, a call of callee with arguments args
// (receiver first) whose summary is cs: callee's operation seen from
// the call.
func summaryOp(instr ssa.Instruction, callee *ssa.Function, cs *Summary, args []ssa.Value) *Op {
	var operand ssa.Value
	if cs.Root >= 0 && cs.Root < len(args) {
		operand = args[cs.Root]
	}
	via := make([]Frame, 0, len(cs.Via)+1)
	via = append(via, frameOf(ssax.Origin(callee)))
	via = append(via, cs.Via...)
	return &Op{Instr: instr, Kind: cs.Kind, What: cs.Op, Via: via, At: cs.At, Operand: operand, Stream: cs.Stream,
		Buffered: cs.Buffered != "", Field: cs.Buffered}
}

// deferOp returns the Op of a deferred static call of a function whose
// summary waits on a channel.
func (a *analyzer) deferOp(d *ssa.Defer) *Op {
	callee := d.Call.StaticCallee()
	if callee == nil {
		return nil
	}
	if op := a.tableOp(d.Parent(), d); op != nil {
		// A deferred WaitGroup.Wait (or another wait of the table):
		// it runs as the function returns, before the Unlock deferred
		// ahead of it.
		if op.Kind == Wait {
			return op
		}
		return nil
	}
	cs := a.summaryOf(callee)
	if cs == nil || cs.Kind != Send && cs.Kind != Recv && cs.Kind != Select || cs.Buffered != "" || skipsOp(cs, d.Call.Args) {
		return nil
	}
	return summaryOp(d, callee, cs, d.Call.Args)
}

// summaryOf returns the summary of a statically called function.
func (a *analyzer) summaryOf(callee *ssa.Function) *Summary {
	o := ssax.Origin(callee)
	if s, ok := a.res.local[o]; ok {
		return s
	}
	if s, ok := a.res.ext[o]; ok {
		return s
	}
	var sum *Summary
	if obj, ok := o.Object().(*types.Func); ok && obj.Pkg() != nil && obj.Pkg() != a.pass.Pkg && !IsStd(obj.Pkg().Path()) {
		var f Summary
		if a.pass.ImportObjectFact(obj, &f) {
			sum = &f
		}
	}
	a.res.ext[o] = sum
	return sum
}

// directOp returns the Op of an instruction that blocks by itself:
// a channel operation, a select without default, or a call listed in
// the built-in table.
func (a *analyzer) directOp(fn *ssa.Function, instr ssa.Instruction) *Op {
	switch in := instr.(type) {
	case *ssa.UnOp:
		if in.Op != token.ARROW || a.lenGuarded(fn, in) || a.closedFlagRecv(fn, in) || a.recvAfterOwnSend(fn, in) || a.tokenRelease(in) || a.forkJoinRecv(fn, in) || ssax.StopDrain(in) || a.afterFuncDrain(in) || a.tokenTake(in) {
			return nil
		}
		return &Op{Instr: in, Kind: Recv, What: "receive from " + a.chanName(in.Pos(), in.X), At: a.at(in.Pos()), Operand: in.X}
	case *ssa.Send:
		if a.sendCannotBlock(fn, in) {
			return nil
		}
		op := &Op{Instr: in, Kind: Send, What: "send on " + a.chanName(in.Pos(), in.Chan), At: a.at(in.Pos()), Operand: in.Chan}
		if a.bufferedSend(fn, in) {
			op.Buffered = true
			if fa := ssax.FieldAddrOf(in.Chan); fa != nil {
				op.Field = ssax.FieldID(fa)
			}
		}
		return op
	case *ssa.Select:
		if !in.Blocking {
			return nil
		}
		if boundedSend(in) {
			return nil // a delivery that gives up when the timer fires
		}
		if shortTimeout(in) {
			return nil // a wait that a constant timeout of a second or less ends
		}
		if a.roomySelectSend(in) {
			return nil // one arm sends where there is room: it proceeds
		}
		if len(in.States) == 0 {
			// select {}: the goroutine parks for good on purpose (kept
			// for a crash dump, or the end of main), not work that
			// holds up whoever waits for it.
			return nil
		}
		var operand ssa.Value
		if len(in.States) == 1 {
			operand = in.States[0].Chan
		}
		return &Op{Instr: in, Kind: Select, What: "select without default", At: a.at(in.Pos()), Operand: operand}
	case *ssa.Call:
		return a.tableOp(fn, in)
	}
	return nil
}

// at renders a position as "file.go:12".
func (a *analyzer) at(pos token.Pos) string {
	if !pos.IsValid() {
		return ""
	}
	p := a.pass.Fset.Position(pos)
	return filepath.Base(p.Filename) + ":" + strconv.Itoa(p.Line)
}

// frameOf names fn for a call chain.
func frameOf(fn *ssa.Function) Frame {
	fn = ssax.Origin(fn)
	pkg := ""
	if fn.Pkg != nil {
		pkg = fn.Pkg.Pkg.Path()
	} else if obj := fn.Object(); obj != nil && obj.Pkg() != nil {
		pkg = obj.Pkg().Path()
	}
	short := names.Qualified(fn, func(p *types.Package) string {
		if p.Path() == pkg {
			return ""
		}
		return p.Name()
	})
	qual := names.Qualified(fn, names.ByPackageName)
	return Frame{Pkg: pkg, Name: short, QName: qual}
}

// paramIndex returns the index in fn.Params of the parameter from which
// v is reached through loads, field selections and conversions, or -1.
func paramIndex(fn *ssa.Function, v ssa.Value) int {
	if p, ok := Root(v).(*ssa.Parameter); ok {
		for i, q := range fn.Params {
			if q == p {
				return i
			}
		}
	}
	return -1
}

// Root strips field selections, element selections, pointer loads and
// conversions from v and returns the value they start from: usually a
// parameter, free variable, global or allocation.
func Root(v ssa.Value) ssa.Value {
	for i := 0; i < 32 && v != nil; i++ {
		switch x := v.(type) {
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.Field:
			v = x.X
		case *ssa.IndexAddr:
			v = x.X
		case *ssa.Index:
			v = x.X
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return v
			}
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.Convert:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		case *ssa.TypeAssert:
			v = x.X
		default:
			return v
		}
	}
	return v
}

// boundedSend reports whether sel tries to send and gives up when a
// timer fires (a case on time.After, a Timer's or Ticker's C, or the
// Done of a context given a deadline in the same function): the
// idiom for notifying listeners without stalling on a slow one. A
// select that only waits for events with a timer case is still a wait:
// polling for a condition until a deadline stalls the lock's other
// users for as long.
func boundedSend(sel *ssa.Select) bool {
	sends, timer := false, false
	for _, st := range sel.States {
		switch {
		case st.Dir == types.SendOnly:
			sends = true
		case syncapi.IsTimerChan(st.Chan), deadlineDone(st.Chan):
			timer = true
		}
	}
	return sends && timer
}

// lenGuarded reports whether the receive recv runs only on the branch
// where len of the same channel was found above zero (for len(ch) > 0
// { v := <-ch }) and no other receiver can take that value first: a
// value is waiting, the draining idiom of a single consumer. For a
// channel field, every receive from it in the package must hold a lock
// of a class held here too (a concurrent Next that takes the last
// value would leave the drain waiting).
func (a *analyzer) lenGuarded(fn *ssa.Function, recv *ssa.UnOp) bool {
	if !lenTested(recv) {
		return false
	}
	key := fieldKey(recv.X)
	if key == nil {
		return true // a local channel
	}
	held := map[string]bool{}
	for _, l := range a.ls.Func(fn).MustHeld(recv) {
		if !l.Anonymous() && !l.Unknown {
			held[l.Class] = true
		}
	}
	if len(held) == 0 {
		return false
	}
	for _, ld := range a.index().fieldLoads[*key] {
		for _, r := range *ld.Referrers() {
			var at ssa.Instruction
			switch u := r.(type) {
			case *ssa.UnOp:
				if u.Op == token.ARROW {
					at = u
				}
			case *ssa.Select:
				for _, st := range u.States {
					if st.Chan == ssa.Value(ld) && st.Dir == types.RecvOnly {
						at = u
					}
				}
			}
			if at == nil || at == ssa.Instruction(recv) {
				continue
			}
			shared := false
			for _, l := range a.ls.Func(at.Parent()).MustHeld(at) {
				if held[l.Class] {
					shared = true
				}
			}
			if !shared {
				return false
			}
		}
	}
	return true
}

// lenTested reports whether recv runs only on the branch where len of
// its channel was found above zero.
func lenTested(recv *ssa.UnOp) bool {
	for b := recv.Block(); b != nil; b = b.Idom() {
		d := b.Idom()
		if d == nil {
			return false
		}
		ifi, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok || d.Succs[0] != b || len(b.Preds) != 1 {
			continue
		}
		bin, ok := ifi.Cond.(*ssa.BinOp)
		if !ok {
			continue
		}
		lenOf := func(v ssa.Value) ssa.Value {
			call, ok := v.(*ssa.Call)
			if !ok {
				return nil
			}
			if bi, ok := call.Call.Value.(*ssa.Builtin); ok && bi.Name() == "len" && len(call.Call.Args) == 1 {
				return call.Call.Args[0]
			}
			return nil
		}
		zero := func(v ssa.Value) bool {
			k, ok := v.(*ssa.Const)
			return ok && k.Value != nil && k.Value.Kind() == constant.Int && constant.Sign(k.Value) == 0
		}
		var ch ssa.Value
		switch {
		case (bin.Op == token.GTR || bin.Op == token.NEQ) && zero(bin.Y):
			ch = lenOf(bin.X)
		case (bin.Op == token.LSS || bin.Op == token.NEQ) && zero(bin.X):
			ch = lenOf(bin.Y)
		}
		if ch != nil && ssax.SameLocation(ch, recv.X) {
			return true
		}
	}
	return false
}

// shortTimeout reports whether a case of sel receives from time.After
// with a constant duration of at most a second: the select waits no
// longer than that, a bounded stall rather than a wait on another
// goroutine.
func shortTimeout(sel *ssa.Select) bool {
	for _, st := range sel.States {
		if st.Dir != types.RecvOnly {
			continue
		}
		ch := st.Chan
		if ct, ok := ch.(*ssa.ChangeType); ok {
			ch = ct.X
		}
		call, ok := ch.(*ssa.Call)
		if !ok || syncapi.Call(&call.Call).Kind != syncapi.After || len(call.Call.Args) != 1 {
			continue
		}
		k, ok := call.Call.Args[0].(*ssa.Const)
		if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
			continue
		}
		if d, exact := constant.Int64Val(k.Value); exact && d > 0 && d <= int64(time.Second) {
			return true
		}
	}
	return false
}

// deadlineDone reports whether ch is the Done channel of a context that
// the same function derived with a timeout or deadline (ctx, cancel :=
// context.WithTimeout(ctx, d)): like a timer case, it fires in time
// whatever the receiver does.
func deadlineDone(ch ssa.Value) bool {
	done, ok := ch.(*ssa.Call)
	if !ok || syncapi.Call(&done.Call).Kind != syncapi.ContextDone {
		return false
	}
	recv := syncapi.Call(&done.Call).RecvArg(&done.Call)
	for {
		switch x := recv.(type) {
		case *ssa.ChangeInterface:
			recv = x.X
			continue
		case *ssa.MakeInterface:
			recv = x.X
			continue
		case *ssa.Extract:
			mk, ok := x.Tuple.(*ssa.Call)
			if !ok || x.Index != 0 || mk.Parent() != done.Parent() {
				return false
			}
			k := syncapi.Call(&mk.Call).Kind
			return k == syncapi.WithTimeout || k == syncapi.WithDeadline
		}
		return false
	}
}

// limitsGroups reports whether the package calls errgroup's SetLimit
// anywhere: only then can a Group's Go block, waiting for a slot.
func (a *analyzer) limitsGroups() bool {
	if a.limits == 0 {
		a.limits = 1
		for _, fn := range a.fns {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					if c, ok := instr.(ssa.CallInstruction); ok && syncapi.Call(c.Common()).Kind == syncapi.GroupSetLimit {
						a.limits = 2
					}
				}
			}
		}
	}
	return a.limits == 2
}
