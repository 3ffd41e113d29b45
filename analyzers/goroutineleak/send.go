package goroutineleak

import (
	"fmt"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/internal/ssax"
)

// siblingRecvs returns fn's receives from the other channels that ci's
// goroutine sends on or closes, where each send or close of the sibling
// either runs on no path with a send on ci (the goroutine took the
// other branch) or comes after ci's send on every path to it (a
// deferred close always does): once fn has received from the sibling,
// the goroutine will not block sending on ci.
func siblingRecvs(ci *chanInfo, all []*chanInfo) ([]chanOp, []*chanInfo) {
	var ops []chanOp
	var alts []*chanInfo // the channels the goroutine sends on instead
	for _, o := range all {
		if o == ci || o.spawn != ci.spawn || len(o.gUses.sends)+len(o.gUses.closes) == 0 || len(o.gUses.recvs) > 0 || o.gUses.guarded {
			continue
		}
		if o.gUses.deferClose {
			// Closed as the goroutine returns: a receive that sees it
			// closed sees the goroutine gone, its sends done.
			ops = append(ops, o.fnUses.recvs...)
			continue
		}
		if !settles(ci.gUses.sends, append(append([]chanOp(nil), o.gUses.sends...), o.gUses.closes...)) {
			continue
		}
		ops = append(ops, o.fnUses.recvs...)
		if len(o.gUses.closes) == 0 {
			alts = append(alts, o)
		}
	}
	return ops, alts
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
		if b, _ := x.at(); x.loop || c.g.InLoop(b) {
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
	_, ai := a.at()
	_, bi := b.at()
	return ssax.RunsBefore(ai, bi)
}

// sendLeak reports a goroutine's send that fn may stop receiving.
//
// The goroutine may send on several paths, once on each. Receives from
// siblings (channels it sends on instead) end a path of fn as a receive
// from the channel itself does.
func (c *checker) sendLeak(ci *chanInfo, siblings []chanOp, alts []*chanInfo) {
	fn, mk, s, fnUses, gUses, name := ci.fn, ci.mk, ci.spawn, &ci.fnUses, &ci.gUses, ci.name
	if len(fnUses.sends) > 0 || len(fnUses.closes) > 0 || fnUses.guarded && len(fnUses.recvs) == 0 {
		return
	}
	size, ok := constSize(mk)
	if !ok {
		return // a buffer sized at run time: assume it fits the sends
	}
	if len(fnUses.recvs) > 0 && c.sendsInLoop(gUses.sends) && (!s.Many || len(siblings) == 0) {
		// One producer, or a pool of them (workers that each send a
		// result per job): either way fn must keep receiving until
		// they are done.
		c.producerLeak(ci)
		return
	}
	if s.Many && len(siblings) == 0 && c.countedStarts(ci, size) {
		return
	}
	if size > 0 {
		// Room for the goroutine's only send, or too little: counting
		// sends beyond one is not attempted.
		return
	}
	send := gUses.sends[0]
	if !c.oneSendPerPath(gUses.sends) {
		if !s.Many && len(siblings) == 0 && !c.sendsInLoop(gUses.sends) {
			c.countLeak(ci, size)
		}
		return
	}
	if !s.Many {
		ret := returnAvoiding(fn, s.Site, append(append([]chanOp(nil), fnUses.recvs...), siblings...))
		if ret == nil || countedExit(ret, fnUses.recvs) {
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
	recvs := fnUses.recvs
	if len(siblings) > 0 {
		// Each goroutine sends its one value here or on another
		// channel (a result or an error): fn must receive one per
		// goroutine from them together.
		if !c.sendAlternatives(ci, siblings, alts) {
			return // which goroutine sent where is not counted
		}
		recvs = append(append([]chanOp(nil), recvs...), siblings...)
		for _, o := range alts {
			name += " or " + o.name
		}
	}
	var exit ssa.Instruction
	switch {
	case len(recvs) == 0:
		exit = returnAvoiding(fn, s.Site, nil)
	case receivesPerIteration(fn, s.Site, recvs):
		// Each iteration starts one goroutine and receives its value:
		// as for one goroutine, every path on must receive.
		exit = returnAvoiding(fn, s.Site, recvs)
	default:
		exit = earlyExit(fn, recvs)
	}
	if exit == nil {
		return
	}
	c.report(analysis.Diagnostic{
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
		related = append(related, analysis.RelatedInformation{Pos: r.ci.spawn.Pos, Message: startedHere(r.ci.spawn)})
		for _, g := range group[1:] {
			related = append(related, analysis.RelatedInformation{Pos: g.send.instr.Pos(), Message: "blocks here sending on " + g.ci.name})
		}
		msg := fmt.Sprintf("goroutine leak: %s for ever when %s without receiving from %s", what, when, it)
		if r.send.deadCtx {
			msg += " (the select's ctx.Done case never fires: the goroutine was handed context.Background() or context.TODO())"
		}
		c.report(analysis.Diagnostic{
			Pos:      r.send.instr.Pos(),
			Category: CatSend,
			Message:  msg,
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

// earlyExit returns where fn leaves the loop around its receives other
// than the way it leaves when the loop has run its course: a loop
// whose exits lead to two or more places is left early by one of them.
// An exit that only panics (a blocking select's impossible fall-through
// among them) does not count.
func earlyExit(fn *ssa.Function, recvs []chanOp) ssa.Instruction {
	for _, r := range recvs {
		body := innermostLoop(fn, r.block)
		if body == nil {
			if oneReceive(recvs) {
				return r.instr // one receive (or one select) for many senders
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
				if !body[s] && reachesReturn(s) {
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

// reachesReturn reports whether a return of b's function is reachable
// from b.
func reachesReturn(b *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{}
	work := []*ssa.BasicBlock{b}
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[x] {
			continue
		}
		seen[x] = true
		if _, ok := x.Instrs[len(x.Instrs)-1].(*ssa.Return); ok {
			return true
		}
		work = append(work, x.Succs...)
	}
	return false
}

// sendsInLoop reports whether one of sends sits in a loop: the
// goroutine sends as many values as the loop runs.
func (c *checker) sendsInLoop(sends []chanOp) bool {
	for _, x := range sends {
		if b, _ := x.at(); x.loop || c.g.InLoop(b) {
			return true
		}
	}
	return false
}

// producerLeak reports a goroutine that sends in a loop while fn
// receives in a loop it can leave before the channel is closed (a
// return on the first error, a case on ctx.Done()): with no one left
// to receive, the producer's next send blocks for ever once the
// buffer is full.
func (c *checker) producerLeak(ci *chanInfo) {
	ret, first, signal := consumerExit(ci.fn, ci.fnUses.recvs)
	if ret == nil {
		if size, ok := constSize(ci.mk); ok && !ci.spawn.Many {
			c.overSent(ci, size)
		}
		return
	}
	if size, ok := constSize(ci.mk); signal && (!ok || size > 0) {
		// A consumer that leaves on a signal, before a buffer that may
		// hold what is left: the producer is usually stopped by the
		// same signal (a cancel before the consumer leaves).
		return
	}
	sender := "the goroutine"
	if ci.spawn.Many {
		sender = "the goroutines started in a loop"
	}
	how := "it can leave its receive loop before " + ci.name + " is closed"
	if signal {
		how = "it leaves its receive loop on another case of its select while " + sender + " may still send"
	} else if first {
		how = "its range over " + ci.name + " leaves after the first value while " + sender + " sends in a loop"
	}
	c.report(analysis.Diagnostic{
		Pos:      ci.gUses.sends[0].instr.Pos(),
		Category: CatSend,
		Message:  fmt.Sprintf("goroutine leak: the send on %s blocks for ever once %s stops receiving: %s", ci.name, display(ci.fn), how),
		Related: []analysis.RelatedInformation{
			{Pos: retPos(ret), Message: "returns here with the sender still sending"},
			{Pos: ci.spawn.Pos, Message: startedHere(ci.spawn)},
		},
	})
}

// consumerExit returns where fn, receiving with recvs from a channel
// that a producer fills in a loop, returns before the channel is
// closed: an exit of the loop meant to run until the close (a range, a
// test of the receive's ok) other than the close's, or for a range
// whose body always leaves, the return after its first value (first is
// then set). A fixed number of plain receives, or a loop that counts
// them, may take exactly what is sent: nil. A loop that never tests for
// the close but leaves on another receive case of the select that
// receives from the channel (ctx.Done(), a stop channel) leaves the
// producer sending too (signal is then set).
func consumerExit(fn *ssa.Function, recvs []chanOp) (ret ssa.Instruction, first, signal bool) {
	r := recvs[0]
	body := innermostLoop(fn, r.block)
	if body == nil {
		if len(recvs) != 1 || !r.ok || r.loop || !testsOk(r) {
			return nil, false, false
		}
		return returnAvoiding(fn, r.instr, nil), true, false
	}
	for _, o := range recvs[1:] {
		if !body[o.block] {
			return nil, false, false // receives elsewhere too
		}
	}
	closable := false
	for _, b := range fn.Blocks {
		for i := range b.Succs {
			if body[b] && !body[b.Succs[i]] && closedEdge(b, i, recvs) {
				closable = true
			}
		}
	}
	if !closable {
		// A loop that never sees the channel closed (its producer
		// runs for ever) but leaves on another case of the select
		// that receives from it (ctx.Done(), a stop channel).
		ret := signalExit(fn, body, recvs)
		return ret, false, ret != nil
	}
	for _, b := range fn.Blocks {
		if !body[b] {
			continue
		}
		for i, t := range b.Succs {
			if body[t] || closedEdge(b, i, recvs) {
				continue
			}
			if ret := returnFrom(fn, t, recvs); ret != nil {
				return ret, false, false
			}
		}
	}
	return nil, false, false
}

// closedEdge reports whether edge i out of b is taken when one of recvs
// reports the channel closed: b tests a receive's ok (or its negation).
func closedEdge(b *ssa.BasicBlock, i int, recvs []chanOp) bool {
	br, ok := ssax.BranchOf(b)
	if !ok {
		return false
	}
	ext, ok := br.Cond.(*ssa.Extract)
	if !ok || ext.Index != 1 {
		return false
	}
	for _, r := range recvs {
		if v, ok := r.instr.(ssa.Value); ok && ext.Tuple == v {
			return b.Succs[i] == br.OnFalse // ok is false: the channel is closed
		}
	}
	return false
}

// signalExit returns the return that a receive case of a select in the
// loop body reaches out of the loop, when that select also receives
// from the channel (one of recvs) and the case is not one of them: the
// consumer leaves on a signal, whatever the producer still has to
// send. A default or a send case does not count.
func signalExit(fn *ssa.Function, body map[*ssa.BasicBlock]bool, recvs []chanOp) ssa.Instruction {
	for _, r := range recvs {
		sel, ok := r.instr.(*ssa.Select)
		if !ok || r.from == nil || !body[sel.Block()] {
			continue
		}
		for j, st := range sel.States {
			if st.Dir != types.RecvOnly {
				continue
			}
			b, ok := ssax.CaseBlock(sel, j)
			if !ok || b == r.block || body[b] && !leavesLoop(b, body) {
				continue
			}
			if ret := returnFrom(fn, b, recvs); ret != nil {
				return ret
			}
		}
	}
	return nil
}

// leavesLoop reports whether b, in the loop body, goes straight out of
// it: its successors are all outside the body.
func leavesLoop(b *ssa.BasicBlock, body map[*ssa.BasicBlock]bool) bool {
	for _, s := range b.Succs {
		if body[s] {
			return false
		}
	}
	return len(b.Succs) > 0
}

// returnFrom returns a return of fn reachable from b without passing a
// block of ops or a test failure, or nil.
func returnFrom(fn *ssa.Function, b *ssa.BasicBlock, ops []chanOp) ssa.Instruction {
	stop := map[*ssa.BasicBlock]bool{}
	for _, op := range ops {
		stop[op.block] = true
		if op.from != nil {
			stop[op.from] = true
		}
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := []*ssa.BasicBlock{b}
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[x] || stop[x] || x == fn.Recover {
			continue
		}
		seen[x] = true
		if testFailure(x) || noReturn(x) {
			continue
		}
		if r, ok := x.Instrs[len(x.Instrs)-1].(*ssa.Return); ok {
			return r
		}
		work = append(work, x.Succs...)
	}
	return nil
}

// testsOk reports whether the block of the comma-ok receive r ends by
// testing its ok: the head of a range over the channel.
func testsOk(r chanOp) bool {
	b := r.block
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return false
	}
	ext, ok := ifi.Cond.(*ssa.Extract)
	return ok && ext.Index == 1 && ext.Tuple == r.instr.(ssa.Value)
}

// countLeak reports a goroutine that sends on some path more values
// than its starter receives on any path, plus the buffer's room: the
// extra send blocks for ever.
func (c *checker) countLeak(ci *chanInfo, size int64) {
	recvs := ci.fnUses.recvs
	if c.recvInLoop(recvs) {
		return
	}
	sends, chain := longestChain(ci.gUses.sends)
	most, _ := longestChain(recvs)
	if int64(sends) <= int64(most)+size {
		return
	}
	extra := chain[int64(most)+size]
	c.report(analysis.Diagnostic{
		Pos:      extra.instr.Pos(),
		Category: CatSend,
		Message: fmt.Sprintf("goroutine leak: the goroutine sends on %s up to %d times but %s receives at most %d%s: this send blocks for ever",
			ci.name, sends, display(ci.fn), most, bufferNote(size)),
		Related: []analysis.RelatedInformation{{Pos: ci.spawn.Pos, Message: startedHere(ci.spawn)}},
	})
}

// countedStarts counts the goroutines that a loop bounded by constants
// starts (for i := 0; i < 3; i++, for range 3), each sending at most
// once, against the most values its starter receives on one path, none
// in a loop, plus the buffer's room. When there are more senders, the
// extra ones block for ever and it reports them. It returns false when
// it cannot count, and the other tests go on.
//
//	ch := make(chan int)
//	for i := range 3 {
//		go func() { ch <- work(i) }()
//	}
//	return <-ch + <-ch // the third sender blocks for ever
func (c *checker) countedStarts(ci *chanInfo, size int64) bool {
	fn, s, recvs := ci.fn, ci.spawn, ci.fnUses.recvs
	if !c.oneSendPerPath(ci.gUses.sends) || c.sendsInLoop(ci.gUses.sends) {
		return false
	}
	if c.recvInLoop(recvs) {
		return false
	}
	body := outermostLoop(fn, s.Site.Block())
	if body == nil || body[ci.mk.Block()] {
		return false
	}
	n, ok := ssax.ConstTrips(body, s.Site.Block())
	if !ok {
		return false
	}
	most := 0
	if len(recvs) > 0 {
		most, _ = longestChain(recvs)
	}
	if n <= int64(most)+size {
		return true // room for every sender
	}
	extra := n - int64(most) - size
	related := []analysis.RelatedInformation{{Pos: s.Pos, Message: fmt.Sprintf("%d goroutines started here", n)}}
	if len(recvs) > 0 {
		related = append(related, analysis.RelatedInformation{Pos: recvs[0].instr.Pos(), Message: "receives here"})
	}
	c.report(analysis.Diagnostic{
		Pos:      ci.gUses.sends[0].instr.Pos(),
		Category: CatSend,
		Message: fmt.Sprintf("goroutine leak: %d goroutines send on %s once each but %s receives at most %d%s: %d of them %s for ever",
			n, ci.name, display(fn), most, bufferNote(size), extra, names.Plural(int(extra), "blocks", "block")),
		Related: related,
	})
	return true
}

// bufferNote describes a buffer's room for a message.
func bufferNote(size int64) string {
	if size == 0 {
		return ""
	}
	return fmt.Sprintf(" and the buffer holds %d", size)
}

// longestChain returns the most ops that one path runs (ops sit in no
// loop, so "can run after" orders them without cycles) and that chain.
func longestChain(ops []chanOp) (int, []chanOp) {
	best := map[int][]chanOp{}
	var walk func(i int) []chanOp
	walk = func(i int) []chanOp {
		if got, ok := best[i]; ok {
			return got
		}
		best[i] = []chanOp{ops[i]} // guards against a cycle
		var tail []chanOp
		for j := range ops {
			if j != i && reaches(ops[i], ops[j]) {
				if t := walk(j); len(t) > len(tail) {
					tail = t
				}
			}
		}
		chain := append([]chanOp{ops[i]}, tail...)
		best[i] = chain
		return chain
	}
	var longest []chanOp
	for i := range ops {
		if ch := walk(i); len(ch) > len(longest) {
			longest = ch
		}
	}
	return len(longest), longest
}

// countedExit reports whether the return ret is taken on a test of a
// counter that a select's case receiving from the channel increments:
// a loop that leaves once it has counted enough receives (done == 3
// over three goroutines' channels) may have counted this one. The
// walk to ret cannot tell, so it is not a leak exit.
func countedExit(ret ssa.Instruction, recvs []chanOp) bool {
	b := ret.Block()
	for i := 0; i < 4 && b != nil; i++ {
		for _, p := range b.Preds {
			if ifi, ok := p.Instrs[len(p.Instrs)-1].(*ssa.If); ok && counterTest(ifi.Cond, recvs) {
				return true
			}
		}
		if len(b.Preds) != 1 {
			break
		}
		b = b.Preds[0]
	}
	return false
}

// counterTest reports whether cond compares a counter that one of recvs'
// select cases increments.
func counterTest(cond ssa.Value, recvs []chanOp) bool {
	bin, ok := cond.(*ssa.BinOp)
	if !ok {
		return false
	}
	switch bin.Op {
	case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
	default:
		return false
	}
	for _, x := range []ssa.Value{bin.X, bin.Y} {
		phi, ok := x.(*ssa.Phi)
		if !ok {
			continue
		}
		for _, e := range phi.Edges {
			add, ok := e.(*ssa.BinOp)
			if !ok || add.Op != token.ADD {
				continue
			}
			for _, r := range recvs {
				if r.from != nil && (r.block == add.Block() || r.block.Dominates(add.Block())) {
					return true
				}
			}
		}
	}
	return false
}

// sendAlternatives reports whether the goroutines that send on ci send
// their one value on one of ci and the alternatives alts: every
// receive of the siblings is a receive from an alternative, each is
// unbuffered, fn only receives from it and each goroutine sends on it
// at most once. The finding is then made once, at the channel made
// first, naming the others.
func (c *checker) sendAlternatives(ci *chanInfo, siblings []chanOp, alts []*chanInfo) bool {
	n := 0
	for _, o := range alts {
		size, ok := constSize(o.mk)
		if !ok || size > 0 || len(o.fnUses.sends)+len(o.fnUses.closes) > 0 || !c.oneSendPerPath(o.gUses.sends) {
			return false
		}
		if o.mk.Pos() < ci.mk.Pos() {
			return false // reported at o
		}
		n += len(o.fnUses.recvs)
	}
	return n == len(siblings)
}

// oneReceive reports whether recvs are one receive, or the cases of one
// select, which takes one value from one of them.
func oneReceive(recvs []chanOp) bool {
	for _, r := range recvs {
		if r.instr != recvs[0].instr {
			return false
		}
	}
	return len(recvs) > 0
}
