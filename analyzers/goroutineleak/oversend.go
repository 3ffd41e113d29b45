package goroutineleak

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// overSent reports (and reports true for) a goroutine that sends in a
// loop more values than its starter can ever take: a generator whose
// loop never ends, or one counted by constants, beside a starter that
// receives a fixed number of values (plain receives outside loops, or
// one receive in a loop counted by constants) and a buffer too small
// for the rest. The goroutine's send after the last one taken blocks
// for ever.
//
//	ch := make(chan int)
//	go func() {
//		for i := 0; ; i++ {
//			ch <- i
//		}
//	}()
//	return <-ch // the second send blocks for ever
//
// The count must hold on every path: the goroutine reaches its loop
// whatever happens before it, its one send is a plain one (not a
// select's case, which may leave on another) that runs in every round,
// and the starter receives nowhere else.
func (c *checker) overSent(ci *chanInfo, size int64) bool {
	if len(ci.gUses.sends) != 1 || len(ci.gUses.closes) > 1 || len(ci.fnUses.recvs) == 0 {
		return false
	}
	send := ci.gUses.sends[0]
	if send.from != nil || send.loop {
		return false
	}
	if _, ok := send.instr.(*ssa.Send); !ok {
		return false
	}
	sends, endless, ok := loopSends(send.instr.Parent(), send.block)
	if !ok {
		return false
	}
	most, ok := fixedRecvs(ci.fn, ci.fnUses.recvs)
	if !ok {
		return false
	}
	if !endless && sends <= most+size {
		return false
	}
	what := fmt.Sprintf("%d times", sends)
	if endless {
		what = "in a loop that never ends"
	}
	c.report(analysis.Diagnostic{
		Pos:      send.instr.Pos(),
		Category: CatSend,
		Message: fmt.Sprintf("goroutine leak: the goroutine sends on %s %s but %s receives at most %d%s: the send after those blocks for ever",
			ci.name, what, display(ci.fn), most, bufferNote(size)),
		Related: []analysis.RelatedInformation{
			{Pos: ci.fnUses.recvs[0].instr.Pos(), Message: "receives here"},
			{Pos: ci.spawn.Pos, Message: startedHere(ci.spawn)},
		},
	})
	return true
}

// loopSends returns how many times block b, in a loop of fn, runs once
// fn is called: endless when the loop has no way out and b runs in each
// of its rounds, else the count ConstTrips finds. ok is false when b is
// in no loop or in a loop inside another, when fn can return without
// entering the loop, or when the count is not known.
func loopSends(fn *ssa.Function, b *ssa.BasicBlock) (n int64, endless, ok bool) {
	body := innermostLoop(fn, b)
	if body == nil || len(outermostLoop(fn, b)) != len(body) {
		return 0, false, false
	}
	var header *ssa.BasicBlock
	for blk := range body {
		for _, p := range blk.Preds {
			if !body[p] {
				header = blk
			}
		}
	}
	if header == nil || entersAvoiding(fn, header) {
		return 0, false, false
	}
	exits := false
	for blk := range body {
		if len(blk.Succs) == 0 {
			exits = true // a return or a panic inside the loop
		}
		for _, s := range blk.Succs {
			if !body[s] {
				exits = true
			}
			if s == header && !b.Dominates(blk) {
				return 0, false, false // a round that does not send
			}
		}
	}
	if !exits {
		return 0, true, true
	}
	n, ok = ssax.ConstTrips(body, b)
	return n, false, ok
}

// entersAvoiding reports whether fn can return (or panic) without
// running block h, on a feasible path (a guard comparing two constants
// is decided).
func entersAvoiding(fn *ssa.Function, h *ssa.BasicBlock) bool {
	if len(fn.Blocks) == 0 {
		return true
	}
	if fn.Blocks[0] == h {
		return false
	}
	edges := ssax.FeasibleEdges(fn.Blocks[0], func(_, to *ssa.BasicBlock) bool { return to == h })
	reached := map[*ssa.BasicBlock]bool{fn.Blocks[0]: true}
	for e := range edges {
		reached[e.To] = true
	}
	for b := range reached {
		if len(b.Succs) == 0 {
			return true
		}
	}
	return false
}

// fixedRecvs returns the most values fn's receives recvs take on any
// path: plain receives outside loops, or one receive inside a loop that
// ConstTrips counts. ok is false otherwise (a range, a receive loop that
// runs until something else happens, a select's case).
func fixedRecvs(fn *ssa.Function, recvs []chanOp) (int64, bool) {
	for _, r := range recvs {
		if r.from != nil || r.loop || r.ranges || r.ok {
			return 0, false
		}
		if u, ok := r.instr.(*ssa.UnOp); !ok || u.Op != token.ARROW || u.Parent() != fn {
			return 0, false
		}
	}
	if len(recvs) == 1 {
		if body := innermostLoop(fn, recvs[0].block); body != nil {
			if len(outermostLoop(fn, recvs[0].block)) != len(body) {
				return 0, false
			}
			n, ok := ssax.ConstTrips(body, recvs[0].block)
			return n, ok
		}
		return 1, true
	}
	for _, r := range recvs {
		if innermostLoop(fn, r.block) != nil {
			return 0, false
		}
	}
	most, _ := longestChain(recvs)
	return int64(most), true
}
