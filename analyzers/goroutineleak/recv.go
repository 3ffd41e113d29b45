package goroutineleak

import (
	"fmt"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/passes/goroutines"
)

// recvLeak reports a goroutine's receive or range that fn may never
// serve.
func (c *checker) recvLeak(fn *ssa.Function, mk *ssa.MakeChan, s *goroutines.Spawn, fnUses, gUses *uses, name string) {
	if len(fnUses.recvs) > 0 || fnUses.guarded || len(gUses.closes) > 0 {
		return
	}
	if len(gUses.recvs) == 1 && len(fnUses.closes) == 0 && !fnUses.guarded && !s.Many {
		if r := gUses.recvs[0]; !r.ok && !r.loop && !r.ranges && r.from == nil && c.g.InLoop(r.block) && !reachesReturn(r.block) {
			// A loop that never ends: after the starter's last send the
			// receive waits for a value nobody will send.
			if ret := returnAvoiding(fn, s.Site, nil); ret != nil {
				c.report(analysis.Diagnostic{
					Pos:      r.instr.Pos(),
					Category: CatRecv,
					Message: fmt.Sprintf("goroutine leak: the goroutine receives from %s in a loop that never ends: once %s returns nothing sends on %s, and the receive blocks for ever; close it, or give the loop a way out",
						name, display(fn), name),
					Related: []analysis.RelatedInformation{
						{Pos: retPos(ret), Message: "returns here, and nothing else sends on " + name},
						{Pos: s.Pos, Message: startedHere(s)},
					},
				})
				return
			}
		}
	}
	ranged := false
	for _, r := range gUses.recvs {
		if r.ranges {
			ranged = true // a callee's loop until closed
			continue
		}
		if r.loop {
			return // a callee's loop that values may end
		}
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
			ret = walkToReturn(fn, s.Site, fnUses.closes, &quietWalk{}, nil)
		}
		if ret == nil {
			return
		}
		msg := fmt.Sprintf("goroutine leak: the range over %s never ends: %s returns without closing it", name, display(fn))
		if len(fnUses.closes) == 0 {
			msg = fmt.Sprintf("goroutine leak: the range over %s never ends: %s never closes it", name, display(fn))
		}
		c.report(analysis.Diagnostic{
			Pos: gUses.recvs[0].instr.Pos(), Category: CatRange, Message: msg,
			Related: []analysis.RelatedInformation{
				{Pos: retPos(ret), Message: "returns here without closing " + name},
				{Pos: s.Pos, Message: startedHere(s)},
			},
		})
		return
	}
	recv := plainRecv(gUses.recvs)
	if recv == nil || s.Many || fnUses.deferClose {
		return
	}
	served := append(append([]chanOp(nil), fnUses.sends...), fnUses.closes...)
	if servedBefore(s.Site, served) {
		return // a value already buffered, or the channel already closed
	}
	ret := walkToReturn(fn, s.Site, served, &quietWalk{}, nil)
	if ret == nil {
		return
	}
	c.report(analysis.Diagnostic{
		Pos:      recv.instr.Pos(),
		Category: CatRecv,
		Message: fmt.Sprintf("goroutine leak: the receive from %s blocks for ever when %s returns without sending on or closing it",
			name, display(fn)),
		Related: []analysis.RelatedInformation{
			{Pos: retPos(ret), Message: "returns here without sending on or closing " + name},
			{Pos: s.Pos, Message: startedHere(s)},
		},
	})
}

// plainRecv returns the goroutine's one receive: its only one, or its
// only plain receive beside cases of selects (a watchdog that waits for
// done or its timer, and after the timer fires, for done alone).
func plainRecv(recvs []chanOp) *chanOp {
	if len(recvs) == 1 {
		return &recvs[0]
	}
	var plain *chanOp
	for i, r := range recvs {
		switch r.instr.(type) {
		case *ssa.Select:
		case *ssa.UnOp:
			if plain != nil || r.from != nil || r.ok || r.loop || r.ranges {
				return nil
			}
			plain = &recvs[i]
		default:
			return nil
		}
	}
	return plain
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

// onlyExitByClose reports whether the loop around a comma-ok receive is
// left only when the receive reports the channel closed: a range loop
// with no break or return in its body.
func onlyExitByClose(fn *ssa.Function, r chanOp) bool {
	body := innermostLoop(fn, r.block)
	if body == nil {
		return false
	}
	exits := 0
	var from *ssa.BasicBlock
	exitIdx := -1
	for b := range body {
		for i, s := range b.Succs {
			if !body[s] {
				exits++
				from, exitIdx = b, i
			}
		}
	}
	if exits != 1 || from != r.block {
		return false
	}
	// The one exit is the test of the receive's ok, on its false edge
	// (a counted loop that only tests ok inside exits elsewhere).
	ifi, ok := r.block.Instrs[len(r.block.Instrs)-1].(*ssa.If)
	if !ok {
		return false
	}
	ext, ok := ifi.Cond.(*ssa.Extract)
	return ok && ext.Index == 1 && ext.Tuple == r.instr.(ssa.Value) && exitIdx == 1
}

// rangeNeverClosed reports (and reports true for) a starter that ranges
// over a channel its goroutines only send on, when nothing closes it:
// the range ends only on close, so the starter itself blocks for ever
// once the values stop.
func (c *checker) rangeNeverClosed(ci *chanInfo) bool {
	f, g := &ci.fnUses, &ci.gUses
	if len(f.closes)+len(g.closes)+len(f.sends) > 0 || f.guarded || len(f.recvs) != 1 {
		return false
	}
	r := f.recvs[0]
	if !r.ok || r.from != nil || !c.g.InLoop(r.block) || !onlyExitByClose(ci.fn, r) {
		return false
	}
	c.report(analysis.Diagnostic{
		Pos:      r.instr.Pos(),
		Category: CatRange,
		Message: fmt.Sprintf("goroutine leak: the range over %s in %s never ends: the goroutines only send on %s and nothing closes it",
			ci.name, display(ci.fn), ci.name),
		Related: []analysis.RelatedInformation{{Pos: ci.spawn.Pos, Message: startedHere(ci.spawn)}},
	})
	return true
}

// checkDeadSelects reports a select without default in a goroutine
// whose every case receives from a channel that fn made and handed only
// to that goroutine, when neither fn nor the goroutine ever sends on or
// closes any of them: no case can proceed, and the goroutine blocks for
// ever.
func (c *checker) checkDeadSelects(chans []*chanInfo) {
	bySel := map[*ssa.Select][]*chanInfo{}
	var order []*ssa.Select
	for _, ci := range chans {
		for _, r := range ci.gUses.recvs {
			sel, ok := r.instr.(*ssa.Select)
			if !ok {
				continue
			}
			if bySel[sel] == nil {
				order = append(order, sel)
			}
			bySel[sel] = append(bySel[sel], ci)
		}
	}
	for _, sel := range order {
		if !sel.Blocking || len(sel.States) < 2 {
			continue
		}
		cis := bySel[sel]
		dead := true
		covered := 0
		for _, st := range sel.States {
			if st.Dir != types.RecvOnly {
				dead = false
				break
			}
		}
		seen := map[*chanInfo]bool{}
		for _, ci := range cis {
			if seen[ci] {
				continue
			}
			seen[ci] = true
			if len(ci.fnUses.sends)+len(ci.fnUses.closes)+len(ci.gUses.sends)+len(ci.gUses.closes) > 0 {
				dead = false
			}
			for _, r := range ci.gUses.recvs {
				if r.instr == sel {
					covered++
				}
			}
		}
		if !dead || covered != len(sel.States) {
			continue
		}
		var names []string
		for ci := range seen {
			names = append(names, ci.name)
		}
		sort.Strings(names)
		c.report(analysis.Diagnostic{
			Pos:      sel.Pos(),
			Category: CatRecv,
			Message:  fmt.Sprintf("goroutine leak: the select blocks for ever: nothing sends on or closes %s", strings.Join(names, " or ")),
			Related:  []analysis.RelatedInformation{{Pos: cis[0].spawn.Pos, Message: startedHere(cis[0].spawn)}},
		})
	}
}
