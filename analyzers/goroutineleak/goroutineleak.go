package goroutineleak

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"runtime/debug"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/passes/goroutines"
)

// Finding categories.
const (
	CatSend  = "send"  // a send nobody receives
	CatRecv  = "recv"  // a receive nobody serves
	CatRange = "range" // a range over a channel nobody closes
)

// Analyzer reports goroutines that can block for ever on a channel.
var Analyzer = &analysis.Analyzer{
	Name:     "goroutineleak",
	Doc:      Doc,
	URL:      "https://pkg.go.dev/github.com/syncvet/syncvet/analyzers/goroutineleak",
	Requires: []*analysis.Analyzer{buildssa.Analyzer, goroutines.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (res any, err error) {
	defer func() {
		if p := recover(); p != nil {
			res = nil
			err = fmt.Errorf("internal error in goroutineleak: %v\n%s", p, debug.Stack())
		}
	}()
	ssainfo := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	g := pass.ResultOf[goroutines.Analyzer].(*goroutines.Result)
	byParent := map[*ssa.Function][]*goroutines.Spawn{}
	for _, s := range g.Spawns {
		if s.Site != nil && s.Parent != nil && s.Entry != nil {
			byParent[s.Parent] = append(byParent[s.Parent], s)
		}
	}
	c := &checker{pass: pass, g: g}
	for _, fn := range ssainfo.SrcFuncs {
		spawns := byParent[fn]
		if len(spawns) == 0 {
			continue
		}
		var chans []*chanInfo
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if mk, ok := instr.(*ssa.MakeChan); ok {
					if ci := c.analyzeChan(fn, mk, spawns); ci != nil {
						chans = append(chans, ci)
					}
				}
			}
		}
		for _, ci := range chans {
			c.checkChan(ci, chans)
		}
		c.flushSends()
	}
	return nil, nil
}

type checker struct {
	pass *analysis.Pass
	g    *goroutines.Result // InLoop: the loop blocks, cached by the pass
	// names maps the left parenthesis of a call assigned to a variable
	// to the variable's name, built on use.
	names map[token.Pos]string
	// pending holds the send leaks of the function being checked.
	pending []sendReport
}

// assigned returns the name of the variable that the call whose left
// parenthesis is at lparen is assigned to, or "".
func (c *checker) assigned(lparen token.Pos) string {
	if c.names == nil {
		c.names = map[token.Pos]string{}
		for _, f := range c.pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				var lhs []ast.Expr
				var rhs []ast.Expr
				switch x := n.(type) {
				case *ast.AssignStmt:
					lhs, rhs = x.Lhs, x.Rhs
				case *ast.ValueSpec:
					for _, id := range x.Names {
						lhs = append(lhs, id)
					}
					rhs = x.Values
				default:
					return true
				}
				if len(lhs) != len(rhs) {
					return true
				}
				for i, r := range rhs {
					call, ok := ast.Unparen(r).(*ast.CallExpr)
					if !ok {
						continue
					}
					if id, ok := lhs[i].(*ast.Ident); ok && id.Name != "_" {
						c.names[call.Lparen] = id.Name
					}
				}
				return true
			})
		}
	}
	return c.names[lparen]
}

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
	escapes              bool // the channel goes somewhere this check cannot follow
	cell                 *ssa.Alloc
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
			u.escapes = true
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
		if st.Chan != v {
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
		if from, to, ok := ssax.CaseEdge(sel, i); ok && !sendsElsewhere {
			op.block, op.from = to, from
		}
		if !only {
			u.guarded = true
		}
		if st.Dir == types.SendOnly {
			u.sends = append(u.sends, op)
		} else {
			u.recvs = append(u.recvs, op)
		}
	}
}

// chanInfo is a channel made in fn and handed to one goroutine that fn
// starts: what fn and the goroutine do with it.
type chanInfo struct {
	fn            *ssa.Function
	mk            *ssa.MakeChan
	spawn         *goroutines.Spawn
	fnUses, gUses uses
	name          string
}

// analyzeChan follows the channel mk made in fn into the one goroutine
// fn hands it to, or returns nil when it goes anywhere else.
func (c *checker) analyzeChan(fn *ssa.Function, mk *ssa.MakeChan, spawns []*goroutines.Spawn) *chanInfo {
	var spawn *goroutines.Spawn
	var inner ssa.Value // the channel inside the goroutine's entry
	var fnUses uses
	collect(mk, &fnUses, func(instr ssa.Instruction, idx int) bool {
		if idx < 0 {
			return false
		}
		for _, s := range spawns {
			var v ssa.Value
			switch x := instr.(type) {
			case *ssa.MakeClosure:
				if s.Value != x || idx >= len(s.Entry.FreeVars) {
					continue
				}
				v = s.Entry.FreeVars[idx]
			case *ssa.Go:
				if s.Site != x || s.Value == nil || x.Call.Signature().Recv() != nil || idx >= len(s.Entry.Params) {
					continue
				}
				if _, static := x.Call.Value.(*ssa.Function); !static {
					continue
				}
				v = s.Entry.Params[idx]
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
	if spawn == nil || fnUses.escapes || spawn.Kind != goroutines.KindGo {
		return nil
	}
	ci := &chanInfo{fn: fn, mk: mk, spawn: spawn, fnUses: fnUses}
	collect(inner, &ci.gUses, nil)
	if ci.gUses.escapes {
		return nil
	}
	ci.name = chanName(mk, fnUses.cell)
	if ci.name == "the channel" {
		if n := c.assigned(mk.Pos()); n != "" {
			ci.name = n
		}
	}
	return ci
}

// checkChan examines one channel; all are the channels of its function,
// for the siblings that the same goroutine sends on instead of it.
func (c *checker) checkChan(ci *chanInfo, all []*chanInfo) {
	g := &ci.gUses
	if g.guarded || len(g.sends) > 0 && len(g.recvs) > 0 {
		return
	}
	switch {
	case len(g.sends) > 0:
		c.sendLeak(ci, siblingRecvs(ci, all))
	case len(g.recvs) > 0:
		c.recvLeak(ci.fn, ci.mk, ci.spawn, &ci.fnUses, g, ci.name)
	}
}

// siblingRecvs returns fn's receives from the other channels that ci's
// goroutine sends on, where each send on the sibling either runs on no
// path with a send on ci (the goroutine took the other branch) or comes
// after ci's send on every path to it: once fn has received from the
// sibling, the goroutine will not block sending on ci.
func siblingRecvs(ci *chanInfo, all []*chanInfo) []chanOp {
	var ops []chanOp
	for _, o := range all {
		if o == ci || o.spawn != ci.spawn || len(o.gUses.sends) == 0 || len(o.gUses.recvs) > 0 || o.gUses.guarded {
			continue
		}
		if !settles(ci.gUses.sends, o.gUses.sends) {
			continue
		}
		ops = append(ops, o.fnUses.recvs...)
	}
	return ops
}

// settles reports whether every op y of other rules out a later op of
// own: no op of own runs after y, and either none runs before it either
// or one runs on every path to y.
func settles(own, other []chanOp) bool {
	for _, y := range other {
		before, dominated := false, false
		for _, x := range own {
			if reaches(y, x) {
				return false
			}
			if reaches(x, y) {
				before = true
			}
			if precedes(x, y) {
				dominated = true
			}
		}
		if before && !dominated {
			return false
		}
	}
	return true
}

// precedes reports whether op a runs on every path to op b.
func precedes(a, b chanOp) bool {
	ab, ai := a.at()
	bb, bi := b.at()
	if ab == bb {
		for _, in := range ab.Instrs {
			if in == ai {
				return true
			}
			if in == bi {
				return false
			}
		}
		return false
	}
	return ab.Dominates(bb)
}

// oneSendPerPath reports whether the goroutine sends at most once on
// any path: no send sits in a loop or reaches another.
func (c *checker) oneSendPerPath(sends []chanOp) bool {
	for i, x := range sends {
		if b, _ := x.at(); c.g.InLoop(b) {
			return false
		}
		for j, y := range sends {
			if i != j && reaches(x, y) {
				return false
			}
		}
	}
	return true
}

// reaches reports whether op b can run after op a in one call of their
// function.
func reaches(a, b chanOp) bool {
	ab, ai := a.at()
	bb, bi := b.at()
	if ab == bb {
		if ai == bi {
			return false
		}
		for _, in := range ab.Instrs {
			if in == ai {
				return true // b later in the block
			}
			if in == bi {
				break
			}
		}
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := append([]*ssa.BasicBlock(nil), ab.Succs...)
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[x] {
			continue
		}
		if x == bb {
			return true
		}
		seen[x] = true
		work = append(work, x.Succs...)
	}
	return false
}

// sendLeak reports a goroutine's send that fn may stop receiving.
//
// The goroutine may send on several paths, once on each. Receives from
// siblings (channels it sends on instead) end a path of fn as a receive
// from the channel itself does.
func (c *checker) sendLeak(ci *chanInfo, siblings []chanOp) {
	fn, mk, s, fnUses, gUses, name := ci.fn, ci.mk, ci.spawn, &ci.fnUses, &ci.gUses, ci.name
	if len(fnUses.sends) > 0 || len(fnUses.closes) > 0 || fnUses.guarded && len(fnUses.recvs) == 0 {
		return
	}
	size, ok := constSize(mk)
	if !ok {
		return // a buffer sized at run time: assume it fits the sends
	}
	if size > 0 {
		// Room for the goroutine's only send, or too little: counting
		// sends beyond one is not attempted.
		return
	}
	send := gUses.sends[0]
	if !c.oneSendPerPath(gUses.sends) {
		return
	}
	if !s.Many {
		ret := returnAvoiding(fn, s.Site, append(append([]chanOp(nil), fnUses.recvs...), siblings...))
		if ret == nil {
			return
		}
		c.pending = append(c.pending, sendReport{ci: ci, send: send, ret: ret})
		return
	}
	if body := innermostLoop(fn, s.Site.Block()); body != nil && body[mk.Block()] {
		// A channel of its own for each goroutine, made in the loop
		// that starts them: each iteration must receive before it ends.
		exit := iterationExit(fn, s.Site, body, append(append([]chanOp(nil), fnUses.recvs...), siblings...))
		if exit == nil {
			return
		}
		c.pending = append(c.pending, sendReport{ci: ci, send: send, ret: exit, iteration: true})
		return
	}
	// Several goroutines send, one value each: fn must receive them all.
	if len(siblings) > 0 {
		return // which goroutine sent where is not counted
	}
	var exit ssa.Instruction
	switch {
	case len(fnUses.recvs) == 0:
		exit = returnAvoiding(fn, s.Site, nil)
	case receivesPerIteration(fn, s.Site, fnUses.recvs):
		// Each iteration starts one goroutine and receives its value:
		// as for one goroutine, every path on must receive.
		exit = returnAvoiding(fn, s.Site, fnUses.recvs)
	default:
		exit = earlyExit(fn, fnUses.recvs)
	}
	if exit == nil {
		return
	}
	c.pass.Report(analysis.Diagnostic{
		Pos:      send.instr.Pos(),
		Category: CatSend,
		Message: fmt.Sprintf("goroutine leak: sends on %s from the goroutines started in a loop block for ever when %s returns before receiving them all",
			name, display(fn)),
		Related: []analysis.RelatedInformation{
			{Pos: retPos(exit), Message: "leaves here with senders left"},
			{Pos: s.Pos, Message: "goroutines started here"},
		},
	})
}

// sendReport is a send leak of one goroutine through one return of its
// parent, held back so that the channels it leaks on through the same
// return make one finding.
type sendReport struct {
	ci        *chanInfo
	send      chanOp
	ret       ssa.Instruction // the return, or the end of the iteration
	iteration bool            // the goroutine's iteration of a loop ends at ret
}

// flushSends reports the pending send leaks, one finding per goroutine
// and return of its parent.
func (c *checker) flushSends() {
	done := map[int]bool{}
	for i, r := range c.pending {
		if done[i] {
			continue
		}
		group := []sendReport{r}
		for j := i + 1; j < len(c.pending); j++ {
			if o := c.pending[j]; !done[j] && o.ci.spawn == r.ci.spawn && o.ret == r.ret {
				group = append(group, o)
				done[j] = true
			}
		}
		sort.SliceStable(group, func(a, b int) bool { return group[a].send.instr.Pos() < group[b].send.instr.Pos() })
		r := group[0]
		var chans []string
		for _, g := range group {
			chans = append(chans, g.ci.name)
		}
		list := names.List(chans)
		what, it := "the send on "+list+" blocks", "it"
		if len(group) > 1 {
			what, it = "the sends on "+list+" block", "them"
		}
		when := display(r.ci.fn) + " returns"
		var related []analysis.RelatedInformation
		if r.iteration {
			when = "the iteration of " + display(r.ci.fn) + "'s loop that started it ends"
			if pos := r.ret.Pos(); pos.IsValid() {
				related = append(related, analysis.RelatedInformation{Pos: pos, Message: "the iteration ends here without receiving from " + list})
			}
		} else {
			related = append(related, analysis.RelatedInformation{Pos: retPos(r.ret), Message: "returns here without receiving from " + list})
		}
		related = append(related, analysis.RelatedInformation{Pos: r.ci.spawn.Pos, Message: "goroutine started here"})
		for _, g := range group[1:] {
			related = append(related, analysis.RelatedInformation{Pos: g.send.instr.Pos(), Message: "blocks here sending on " + g.ci.name})
		}
		c.pass.Report(analysis.Diagnostic{
			Pos:      r.send.instr.Pos(),
			Category: CatSend,
			Message:  fmt.Sprintf("goroutine leak: %s for ever when %s without receiving from %s", what, when, it),
			Related:  related,
		})
	}
	c.pending = nil
}

// iterationExit returns where the iteration of the loop body that runs
// site ends on a path that avoids ops (a return, or the jump back to
// the loop's header), or nil.
func iterationExit(fn *ssa.Function, site ssa.Instruction, body map[*ssa.BasicBlock]bool, ops []chanOp) ssa.Instruction {
	var header *ssa.BasicBlock
	for b := range body {
		if b.Dominates(site.Block()) && (header == nil || header.Dominates(b)) {
			header = b
		}
	}
	if header == nil {
		return nil
	}
	return walkToReturn(fn, site, ops, nil, func(b, succ *ssa.BasicBlock) bool {
		return succ == header
	})
}

// recvLeak reports a goroutine's receive or range that fn may never
// serve.
func (c *checker) recvLeak(fn *ssa.Function, mk *ssa.MakeChan, s *goroutines.Spawn, fnUses, gUses *uses, name string) {
	if len(fnUses.recvs) > 0 || fnUses.guarded || len(gUses.closes) > 0 {
		return
	}
	ranged := false
	for _, r := range gUses.recvs {
		if c.g.InLoop(r.block) {
			if !r.ok || !onlyExitByClose(s.Entry, r) {
				return // values decide when the loop ends
			}
			ranged = true
		}
	}
	if ranged {
		if len(gUses.recvs) != 1 {
			return
		}
		if servedBefore(s.Site, fnUses.closes) {
			return
		}
		var ret ssa.Instruction
		if len(fnUses.closes) == 0 {
			ret = returnAvoiding(fn, s.Site, nil)
		} else if !fnUses.deferClose {
			ret = walkToReturn(fn, s.Site, fnUses.closes, mk, nil)
		}
		if ret == nil {
			return
		}
		msg := fmt.Sprintf("goroutine leak: the range over %s never ends: %s returns without closing it", name, display(fn))
		if len(fnUses.closes) == 0 {
			msg = fmt.Sprintf("goroutine leak: the range over %s never ends: %s never closes it", name, display(fn))
		}
		c.pass.Report(analysis.Diagnostic{
			Pos: gUses.recvs[0].instr.Pos(), Category: CatRange, Message: msg,
			Related: []analysis.RelatedInformation{
				{Pos: retPos(ret), Message: "returns here without closing " + name},
				{Pos: s.Pos, Message: "goroutine started here"},
			},
		})
		return
	}
	if len(gUses.recvs) != 1 || s.Many || fnUses.deferClose {
		return
	}
	served := append(append([]chanOp(nil), fnUses.sends...), fnUses.closes...)
	if servedBefore(s.Site, served) {
		return // a value already buffered, or the channel already closed
	}
	ret := walkToReturn(fn, s.Site, served, mk, nil)
	if ret == nil {
		return
	}
	c.pass.Report(analysis.Diagnostic{
		Pos:      gUses.recvs[0].instr.Pos(),
		Category: CatRecv,
		Message: fmt.Sprintf("goroutine leak: the receive from %s blocks for ever when %s returns without sending on or closing it",
			name, display(fn)),
		Related: []analysis.RelatedInformation{
			{Pos: retPos(ret), Message: "returns here without sending on or closing " + name},
			{Pos: s.Pos, Message: "goroutine started here"},
		},
	})
}

// servedBefore reports whether one of ops runs on every path to site:
// before the goroutine starts.
func servedBefore(site ssa.Instruction, ops []chanOp) bool {
	for _, op := range ops {
		if op.from != nil && len(op.block.Preds) > 1 {
			// An empty case body: count the select reached.
			if op.from.Dominates(site.Block()) {
				return true
			}
			continue
		}
		if op.block == site.Block() {
			for _, in := range site.Block().Instrs {
				if in == op.instr {
					return true
				}
				if in == site {
					break
				}
			}
			continue
		}
		if op.block.Dominates(site.Block()) {
			return true
		}
	}
	return false
}

// constSize returns the buffer size of mk when it is a constant.
func constSize(mk *ssa.MakeChan) (int64, bool) {
	k, ok := mk.Size.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
		return 0, false
	}
	return constant.Int64Val(k.Value)
}

// returnAvoiding returns a return of fn reachable from the instruction
// after from without passing any of ops (in their blocks, or after
// them in from's block), or nil. A return reached only through a
// recover block does not count.
//
// Paths through a test's failure report (t.Error, t.Fatal, t.Skip and
// friends) are not followed: a leak on the way out of a failed test is
// not worth a finding. With quiet set, paths through a blocking
// operation on another channel (a receive, a send, a select without
// default) are not followed either: the goroutine may be what unblocks
// it, and the check cannot tell which way it goes.
func returnAvoiding(fn *ssa.Function, from ssa.Instruction, ops []chanOp) ssa.Instruction {
	return walkToReturn(fn, from, ops, nil, nil)
}

// walkToReturn is returnAvoiding with quiet, and with edge, when not
// nil, called on each edge the walk takes: true ends the walk there.
func walkToReturn(fn *ssa.Function, from ssa.Instruction, ops []chanOp, quiet *ssa.MakeChan, edge func(b, succ *ssa.BasicBlock) bool) ssa.Instruction {
	stop := map[*ssa.BasicBlock]bool{}
	stopEdge := map[[2]*ssa.BasicBlock]bool{}
	for _, op := range ops {
		if op.from != nil {
			stopEdge[[2]*ssa.BasicBlock{op.from, op.block}] = true
		} else {
			stop[op.block] = true
		}
	}
	ended := false
	succs := func(b *ssa.BasicBlock) []*ssa.BasicBlock {
		var out []*ssa.BasicBlock
		for _, s := range b.Succs {
			if stopEdge[[2]*ssa.BasicBlock{b, s}] || stop[s] {
				continue
			}
			if edge != nil && edge(b, s) {
				ended = true
				return nil
			}
			out = append(out, s)
		}
		return out
	}
	start := from.Block()
	// The rest of the starting block.
	after := false
	for _, in := range start.Instrs {
		if in == from {
			after = true
			continue
		}
		if !after {
			continue
		}
		for _, op := range ops {
			if op.instr == in && op.block == start && op.from == nil {
				return nil
			}
		}
		if r, ok := in.(*ssa.Return); ok {
			return r
		}
	}
	seen := map[*ssa.BasicBlock]bool{start: true}
	work := succs(start)
	if ended {
		return start.Instrs[len(start.Instrs)-1]
	}
	for len(work) > 0 {
		b := work[0]
		work = work[1:]
		if seen[b] || stop[b] || b == fn.Recover {
			continue
		}
		seen[b] = true
		if testFailure(b) || quiet != nil && waitsElsewhere(b, quiet) {
			continue
		}
		if r, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			return r
		}
		work = append(work, succs(b)...)
		if ended {
			return b.Instrs[len(b.Instrs)-1]
		}
	}
	return nil
}

// receivesPerIteration reports whether a receive sits in the loop that
// starts the goroutines, so that each iteration takes its own
// goroutine's value.
func receivesPerIteration(fn *ssa.Function, site ssa.Instruction, recvs []chanOp) bool {
	for _, r := range recvs {
		if body := innermostLoop(fn, r.block); body != nil && body[site.Block()] {
			return true
		}
	}
	return false
}

// testFailure reports whether b reports a test failure or skip through
// a method of testing.T, B, F or TB.
func testFailure(b *ssa.BasicBlock) bool {
	for _, in := range b.Instrs {
		call, ok := in.(ssa.CallInstruction)
		if !ok {
			continue
		}
		var fn *types.Func
		if call.Common().IsInvoke() {
			fn = call.Common().Method
		} else if callee := call.Common().StaticCallee(); callee != nil {
			fn, _ = callee.Object().(*types.Func)
		}
		if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "testing" {
			continue
		}
		switch fn.Name() {
		case "Error", "Errorf", "Fatal", "Fatalf", "Fail", "FailNow", "Skip", "Skipf", "SkipNow":
			return true
		}
	}
	return false
}

// waitsElsewhere reports whether b blocks on a channel other than ch: a
// receive, a send, or a select without default.
func waitsElsewhere(b *ssa.BasicBlock, ch *ssa.MakeChan) bool {
	for _, in := range b.Instrs {
		switch x := in.(type) {
		case *ssa.UnOp:
			if x.Op == token.ARROW {
				return true
			}
		case *ssa.Send:
			return true
		case *ssa.Select:
			if x.Blocking {
				return true
			}
		}
	}
	return false
}

// earlyExit returns where fn leaves the loop around its receives other
// than the way it leaves when the loop has run its course: a loop
// whose exits lead to two or more places is left early by one of them.
func earlyExit(fn *ssa.Function, recvs []chanOp) ssa.Instruction {
	for _, r := range recvs {
		body := innermostLoop(fn, r.block)
		if body == nil {
			if len(recvs) == 1 {
				return r.instr // one receive for many senders
			}
			continue // several receives: counting them is not attempted
		}
		targets := map[*ssa.BasicBlock]*ssa.BasicBlock{} // target -> source
		var order []*ssa.BasicBlock
		for _, b := range fn.Blocks {
			if !body[b] {
				continue
			}
			for _, s := range b.Succs {
				if !body[s] {
					if _, ok := targets[s]; !ok {
						targets[s] = b
						order = append(order, s)
					}
				}
			}
		}
		if len(order) < 2 {
			continue
		}
		// Name the exit that returns soonest.
		for _, t := range order {
			if r, ok := t.Instrs[len(t.Instrs)-1].(*ssa.Return); ok {
				return r
			}
		}
		return order[len(order)-1].Instrs[0]
	}
	return nil
}

// innermostLoop returns the blocks of the smallest natural loop of fn
// that contains b, or nil.
func innermostLoop(fn *ssa.Function, b *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	var best map[*ssa.BasicBlock]bool
	for _, t := range fn.Blocks {
		for _, h := range t.Succs {
			if !h.Dominates(t) {
				continue
			}
			if body := naturalLoop(h, t); body[b] && (best == nil || len(body) < len(best)) {
				best = body
			}
		}
	}
	return best
}

// naturalLoop returns the blocks of the loop that the back edge t -> h
// closes: h and the blocks that reach t without passing h.
func naturalLoop(h, t *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	body := map[*ssa.BasicBlock]bool{h: true}
	stack := []*ssa.BasicBlock{t}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if body[x] {
			continue
		}
		body[x] = true
		stack = append(stack, x.Preds...)
	}
	return body
}

// onlyExitByClose reports whether the loop around a comma-ok receive is
// left only when the receive reports the channel closed: a range loop
// with no break or return in its body.
func onlyExitByClose(fn *ssa.Function, r chanOp) bool {
	body := innermostLoop(fn, r.block)
	if body == nil {
		return false
	}
	exits := 0
	for b := range body {
		for _, s := range b.Succs {
			if !body[s] {
				exits++
			}
		}
	}
	if exits != 1 {
		return false
	}
	// The one exit is the test of the receive's ok.
	ifi, ok := r.block.Instrs[len(r.block.Instrs)-1].(*ssa.If)
	if !ok {
		return false
	}
	ext, ok := ifi.Cond.(*ssa.Extract)
	return ok && ext.Index == 1 && ext.Tuple == r.instr.(ssa.Value)
}

// retPos is the position of a return, or of the instruction standing
// for an exit.
func retPos(instr ssa.Instruction) token.Pos {
	if instr.Pos().IsValid() {
		return instr.Pos()
	}
	if _, ok := instr.(*ssa.Return); ok {
		// The implicit return at the end of the body: its closing brace.
		switch syn := instr.Parent().Syntax().(type) {
		case *ast.FuncDecl:
			if syn.Body != nil {
				return syn.Body.Rbrace
			}
		case *ast.FuncLit:
			return syn.Body.Rbrace
		}
	}
	return instr.Parent().Pos()
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

// display names fn in Go syntax (the one renderer, internal/names).
func display(fn *ssa.Function) string { return names.Func(fn) }
