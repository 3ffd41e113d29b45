package goroutineleak

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/goroutines"
)

// chanOp is one operation on the channel: an instruction, and for a
// select case the block that runs when the case is chosen.
type chanOp struct {
	instr ssa.Instruction
	block *ssa.BasicBlock // where the operation has happened: the instruction's block, or a select case's
	// from is, for a select case, the block whose edge to block is
	// taken when the case is chosen: a case with an empty body has no
	// block of its own, and block is then where other paths go too.
	from *ssa.BasicBlock
	ok   bool // a receive with comma-ok (a range loop's receive)
	// For a call that hands the channel to a function whose ChanUse
	// fact summarizes it: loop is set when the callee repeats the
	// operation in a loop, ranges when it receives until the channel
	// is closed.
	loop, ranges bool
	// deadCtx is set for a select case beside a case on the Done channel
	// of a context that never ends (uses.neverDone).
	deadCtx bool
}

// at returns the block and instruction where op runs: a select case's is
// the select itself.
func (op chanOp) at() (*ssa.BasicBlock, ssa.Instruction) {
	if op.from != nil {
		return op.instr.Block(), op.instr
	}
	return op.block, op.instr
}

// uses is what one function does with the channel.
type uses struct {
	sends, recvs, closes []chanOp
	deferClose           bool // a deferred close: every return after it closes
	guarded              bool // an operation in a select with another case or a default
	// timerGuarded is set when every such select's other cases only
	// receive from timers (a watchdog: select { case <-done: case
	// <-t.C: ... }): the timer fires, and the select does not stand
	// for the goroutine's wait for ever.
	timerGuarded, otherGuarded bool
	escapes                    bool  // the channel goes somewhere this check cannot follow
	returned                   []int // the results of the function that return it
	cell                       *ssa.Alloc
	// params summarizes what a callee does with the channel passed as
	// its parameter i; nil follows no calls.
	params func(callee *ssa.Function, i int) (ParamUse, bool)
	// neverDone reports a context whose Done channel is nil (the
	// goroutine was handed context.Background()): a select case on it
	// never fires. Nil means none.
	neverDone func(ctx ssa.Value) bool
}

// collect records the uses of v (the channel, or a conversion of it) in
// its function; spawnUse is called for a closure binding or a go
// argument that hands v to a goroutine.
//
// A channel variable that a closure captures lives in a cell (an Alloc,
// or the closure's pointer free variable): v may be such a cell, whose
// loads are the channel; a store into it other than the one that fills
// it with the channel is a reassignment the check does not follow.
func collect(v ssa.Value, u *uses, spawnUse func(instr ssa.Instruction, idx int) bool) {
	refs := v.Referrers()
	if refs == nil {
		return
	}
	if _, isCell := v.Type().Underlying().(*types.Pointer); isCell {
		collectCell(v, u, spawnUse)
		return
	}
	for _, r := range *refs {
		switch x := r.(type) {
		case *ssa.Store:
			alloc, ok := x.Addr.(*ssa.Alloc)
			if !ok || x.Val != v || u.cell != nil {
				u.escapes = true
				continue
			}
			u.cell = alloc
			collectCell(alloc, u, spawnUse)
		case *ssa.DebugRef:
		case *ssa.ChangeType:
			collect(x, u, spawnUse)
		case *ssa.Send:
			if x.Chan != v {
				u.escapes = true // sent as a value
				continue
			}
			u.sends = append(u.sends, chanOp{instr: x, block: x.Block()})
		case *ssa.UnOp:
			if x.Op != token.ARROW {
				u.escapes = true
				continue
			}
			u.recvs = append(u.recvs, chanOp{instr: x, block: x.Block(), ok: x.CommaOk})
		case *ssa.Select:
			selectUses(x, v, u)
		case *ssa.Call:
			if b, ok := x.Call.Value.(*ssa.Builtin); ok {
				switch b.Name() {
				case "len", "cap":
					continue
				case "close":
					u.closes = append(u.closes, chanOp{instr: x, block: x.Block()})
					continue
				}
			}
			if !u.callee(x, v) {
				u.escapes = true
			}
		case *ssa.Defer:
			if b, ok := x.Call.Value.(*ssa.Builtin); ok && b.Name() == "close" {
				u.deferClose = true
				u.closes = append(u.closes, chanOp{instr: x, block: x.Block()})
				continue
			}
			u.escapes = true
		case *ssa.MakeClosure:
			idx := -1
			for i, b := range x.Bindings {
				if b == v {
					idx = i
				}
			}
			if spawnUse == nil || !spawnUse(x, idx) {
				u.escapes = true
			}
		case *ssa.Return:
			for i, r := range x.Results {
				if r == v {
					u.returned = append(u.returned, i)
				}
			}
		case *ssa.Go:
			idx := -1
			for i, a := range x.Call.Args {
				if a == v {
					idx = i
				}
			}
			if x.Call.Value == v || spawnUse == nil || !spawnUse(x, idx) {
				u.escapes = true
			}
		default:
			u.escapes = true
		}
	}
}

// callee records what the static callee of call does with v, passed
// once as one of its arguments, from the callee's ChanUse summary, as
// operations at the call; false when unknown.
func (u *uses) callee(call *ssa.Call, v ssa.Value) bool {
	if u.params == nil || call.Call.IsInvoke() {
		return false
	}
	fn := call.Call.StaticCallee()
	if fn == nil {
		return false
	}
	idx := -1
	for i, a := range call.Call.Args {
		if a == v {
			if idx >= 0 {
				return false // passed twice
			}
			idx = i
		}
	}
	if idx < 0 {
		return false // the callee itself
	}
	pu, ok := u.params(fn, idx)
	if !ok {
		return false
	}
	u.addSummary(chanOp{instr: call, block: call.Block()}, pu)
	return true
}

// addSummary records the uses pu as operations at the call at.
func (u *uses) addSummary(at chanOp, pu ParamUse) {
	if pu.Has(UseSend) {
		op := at
		op.loop = pu.Has(UseSendLoop)
		u.sends = append(u.sends, op)
	}
	if pu.Has(UseRecv) {
		op := at
		op.loop = pu.Has(UseRecvLoop)
		op.ranges = pu.Has(UseRange)
		u.recvs = append(u.recvs, op)
	}
	if pu.Has(UseClose) {
		u.closes = append(u.closes, at)
	}
	if pu.Has(UseGuarded) {
		u.guarded, u.otherGuarded = true, true
	}
}

// collectCell records the uses of the channel held in the cell c: its
// loads, and the closures that capture the cell.
func collectCell(c ssa.Value, u *uses, spawnUse func(instr ssa.Instruction, idx int) bool) {
	refs := c.Referrers()
	if refs == nil {
		return
	}
	stores := 0
	for _, r := range *refs {
		switch x := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			if x.Addr != c {
				u.escapes = true
				continue
			}
			if stores++; stores > 1 {
				u.escapes = true // reassigned
			}
			if _, isFree := c.(*ssa.FreeVar); isFree {
				u.escapes = true // assigned inside the goroutine
			}
		case *ssa.UnOp:
			if x.Op != token.MUL {
				u.escapes = true
				continue
			}
			collect(x, u, spawnUse)
		case *ssa.MakeClosure:
			idx := -1
			for i, b := range x.Bindings {
				if b == c {
					idx = i
				}
			}
			if spawnUse == nil || !spawnUse(x, idx) {
				u.escapes = true
			}
		default:
			u.escapes = true
		}
	}
}

// selectUses records the states of sel on v. A select with a default or
// with states on other channels can proceed without v: its operations
// only mark the channel guarded.
func selectUses(sel *ssa.Select, v ssa.Value, u *uses) {
	only := sel.Blocking
	for _, st := range sel.States {
		if st.Chan != v && !u.deadDone(st) {
			only = false
		}
		if st.Send == v {
			u.escapes = true
		}
	}
	// A select that also sends elsewhere proceeds only when someone
	// receives there, which this check cannot tell: count the whole
	// select as an operation on v.
	sendsElsewhere := false
	for _, st := range sel.States {
		if st.Chan != v && st.Dir == types.SendOnly {
			sendsElsewhere = true
		}
	}
	for i, st := range sel.States {
		if st.Chan != v {
			continue
		}
		op := chanOp{instr: sel, block: sel.Block()}
		for _, o := range sel.States {
			if u.deadDone(o) {
				op.deadCtx = true
			}
		}
		if from, to, ok := ssax.CaseEdge(sel, i); ok && !sendsElsewhere {
			op.block, op.from = to, from
		}
		if !only {
			u.guarded = true
			if timersBeside(sel, v) {
				u.timerGuarded = true
			} else {
				u.otherGuarded = true
			}
		}
		if st.Dir == types.SendOnly {
			u.sends = append(u.sends, op)
		} else {
			u.recvs = append(u.recvs, op)
		}
	}
}

// timersBeside reports whether sel blocks, and its states other than
// those on v receive from timers only (t.C of a *time.Timer or
// *time.Ticker, time.After, time.Tick).
func timersBeside(sel *ssa.Select, v ssa.Value) bool {
	if !sel.Blocking {
		return false
	}
	for _, st := range sel.States {
		if st.Chan == v {
			continue
		}
		if st.Dir != types.RecvOnly || !syncapi.IsTimerChan(st.Chan) {
			return false
		}
	}
	return true
}

// deadDone reports whether a select state receives from the Done
// channel of a context that never ends (uses.neverDone).
func (u *uses) deadDone(st *ssa.SelectState) bool {
	if u.neverDone == nil || st.Dir != types.RecvOnly {
		return false
	}
	call, ok := st.Chan.(*ssa.Call)
	if !ok || !call.Call.IsInvoke() || syncapi.Call(&call.Call).Kind != syncapi.ContextDone {
		return false
	}
	return u.neverDone(call.Call.Value)
}

// detachedCtx reports whether v, a parameter or captured variable of the
// goroutine s starts, is bound at the spawn to context.Background() or
// context.TODO(), whose Done channel is nil.
func detachedCtx(s *goroutines.Spawn, v ssa.Value) bool {
	var arg ssa.Value
	cell := false
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		v, cell = u.X, true // a captured variable: its cell
	}
	switch x := v.(type) {
	case *ssa.Parameter:
		for i, p := range s.Entry.Params {
			if p == x && i < len(s.Args) {
				arg = s.Args[i]
			}
		}
	case *ssa.FreeVar:
		for i, fv := range s.Entry.FreeVars {
			if fv == x && i < len(s.Bindings) {
				arg = s.Bindings[i]
			}
		}
	}
	if cell {
		alloc, ok := arg.(*ssa.Alloc)
		if !ok {
			return false
		}
		arg = nil
		for _, r := range *alloc.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == alloc {
				if arg != nil {
					return false // assigned more than once
				}
				arg = st.Val
			}
		}
	}
	call, ok := arg.(*ssa.Call)
	if !ok {
		return false
	}
	f := call.Call.StaticCallee()
	return f != nil && f.Pkg != nil && f.Pkg.Pkg.Path() == "context" && (f.Name() == "Background" || f.Name() == "TODO")
}

// chanInfo is a channel made in fn and handed to one goroutine that fn
// starts: what fn and the goroutine do with it.
type chanInfo struct {
	fn            *ssa.Function
	mk            *ssa.MakeChan
	spawn         *goroutines.Spawn
	fnUses, gUses uses
	name          string
	// waitDeadlock is set when a Wait of fn on the goroutine's group
	// comes before every receive (checkWaitBeforeDrain's finding).
	waitDeadlock bool
}

// analyzeChan follows the channel mk made in fn into the one goroutine
// fn hands it to, or returns nil when it goes anywhere else.
func (c *checker) analyzeChan(fn *ssa.Function, mk *ssa.MakeChan, spawns []*goroutines.Spawn) *chanInfo {
	var spawn *goroutines.Spawn
	var inner ssa.Value // the channel inside the goroutine's entry
	entryIdx := -1      // or its argument index, for an entry without a body
	var fnUses uses
	fnUses.params = c.paramUse
	collect(mk, &fnUses, func(instr ssa.Instruction, idx int) bool {
		if idx < 0 {
			return false
		}
		for _, s := range spawns {
			v, bodiless := handedTo(s, instr, idx)
			if bodiless {
				// A function of another package: no parameters to
				// follow, its ChanUse fact instead.
				if spawn != nil && spawn != s {
					return false
				}
				spawn, entryIdx = s, idx
				return true
			}
			if v == nil {
				continue
			}
			if spawn != nil && spawn != s {
				return false // two goroutines share it
			}
			spawn, inner = s, v
			return true
		}
		return false
	})
	if spawn == nil || fnUses.escapes || !plainOrGroup(spawn.Kind) && !timerCallback(spawn) {
		return nil
	}
	ci := &chanInfo{fn: fn, mk: mk, spawn: spawn, fnUses: fnUses}
	ci.gUses.params = c.paramUse
	if inner == nil {
		// A function of another package started with the channel: its
		// ChanUse fact says what it does, as operations at the go
		// statement.
		pu, ok := c.paramUse(spawn.Entry, entryIdx)
		if !ok {
			return nil
		}
		ci.gUses.addSummary(chanOp{instr: spawn.Site, block: spawn.Site.Block()}, pu)
	} else {
		ci.gUses.neverDone = func(ctx ssa.Value) bool { return detachedCtx(spawn, ctx) }
		collect(inner, &ci.gUses, nil)
	}
	if ci.gUses.escapes || len(ci.gUses.returned) > 0 {
		return nil
	}
	ci.name = c.chanDisplay(mk, fnUses.cell)
	return ci
}

// handedTo returns the value inside the goroutine of s that stands for
// operand idx of instr, when instr hands it to that goroutine: a free
// variable of the closure s starts, or a parameter of the function a go
// statement starts. bodiless reports a go statement of a function of
// another package, which has no parameters to follow.
func handedTo(s *goroutines.Spawn, instr ssa.Instruction, idx int) (v ssa.Value, bodiless bool) {
	switch x := instr.(type) {
	case *ssa.MakeClosure:
		if s.Value == x && idx < len(s.Entry.FreeVars) {
			return s.Entry.FreeVars[idx], false
		}
	case *ssa.Go:
		if s.Site != x || s.Value == nil || x.Call.IsInvoke() {
			return nil, false
		}
		if _, static := x.Call.Value.(*ssa.Function); !static {
			return nil, false
		}
		if len(s.Entry.Blocks) == 0 {
			return nil, true
		}
		if idx < len(s.Entry.Params) {
			return s.Entry.Params[idx], false
		}
	}
	return nil, false
}

// chanDisplay names the channel mk in messages: the variable it was
// assigned to, or "the channel".
func (c *checker) chanDisplay(mk *ssa.MakeChan, cell *ssa.Alloc) string {
	name := chanName(mk, cell)
	if name == "the channel" {
		if n := c.assigned(mk.Pos()); n != "" {
			name = n
		}
	}
	return name
}

// recvInLoop reports whether one of recvs sits in a loop (or repeats in
// the callee it stands for): a loop receives as many as it runs, and
// counting them is not attempted.
func (c *checker) recvInLoop(recvs []chanOp) bool {
	for _, r := range recvs {
		if b, _ := r.at(); r.loop || c.g.InLoop(b) {
			return true
		}
	}
	return false
}

// plainOrGroup reports whether a goroutine of kind k is started by a go
// statement or as a member of a WaitGroup or errgroup (whose Wait then
// waits for it to return): one run per start, at once.
func plainOrGroup(k goroutines.Kind) bool {
	return k == goroutines.KindGo || k == goroutines.KindWaitGroup || k == goroutines.KindErrgroup
}

// timerCallback reports whether s runs a function once a time.AfterFunc
// timer fires: once, on a goroutine of its own, possibly after its
// starter returned (Stop does not stop a callback that has started).
func timerCallback(s *goroutines.Spawn) bool {
	if s.Kind != goroutines.KindAfterFunc || s.Site == nil {
		return false
	}
	call, ok := s.Site.(*ssa.Call)
	return ok && syncapi.Call(&call.Call).Kind == syncapi.AfterFunc
}

// startedHere describes where s starts, for a related position.
func startedHere(s *goroutines.Spawn) string {
	if timerCallback(s) {
		return "timer callback set here: it runs on a goroutine of its own when the timer fires"
	}
	return "goroutine started here"
}

// constSize returns the buffer size of mk when it is a constant.
func constSize(mk *ssa.MakeChan) (int64, bool) {
	k, ok := mk.Size.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
		return 0, false
	}
	return constant.Int64Val(k.Value)
}

// chanName names the channel by the variable it was assigned to, or
// "the channel".
func chanName(mk *ssa.MakeChan, cell *ssa.Alloc) string {
	if cell != nil && cell.Comment != "" {
		return cell.Comment
	}
	if refs := mk.Referrers(); refs != nil {
		for _, r := range *refs {
			if d, ok := r.(*ssa.DebugRef); ok {
				if id, ok := d.Expr.(*ast.Ident); ok {
					return id.Name
				}
			}
		}
	}
	return "the channel"
}
