package goroutineleak

import (
	"fmt"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// producerSkips reports (and reports true for) a starter that waits on
// a channel only its goroutine serves, when the goroutine can return
// without serving it: a receive that waits for a send or a close the
// goroutine skipped on an early return, or a range that waits for a
// close the goroutine skipped. The starter itself then blocks for ever.
//
// The goroutine's operations must sit outside its loops, and the
// starter's receives outside its own (a range excepted): a loop that
// sends once per element and a loop that receives once per element
// skip together when the slice is empty. Paths of the goroutine that
// wait on another channel are not followed: what it waits for may be
// what the starter does instead.
func (c *checker) producerSkips(ci *chanInfo) bool {
	f, g := &ci.fnUses, &ci.gUses
	if len(f.sends)+len(f.closes) > 0 || f.guarded || len(f.recvs) == 0 || g.guarded || g.deferClose || ci.spawn.Many {
		return false
	}
	entry := ci.spawn.Entry
	if len(entry.Blocks) == 0 || entry.Recover != nil {
		return false // a summary without a body, or a goroutine that recovers
	}
	served := append(append([]chanOp(nil), g.sends...), g.closes...)
	ranged := false
	var wait chanOp
	if len(f.recvs) == 1 && f.recvs[0].ok && f.recvs[0].from == nil && c.g.InLoop(f.recvs[0].block) && onlyExitByClose(ci.fn, f.recvs[0]) {
		// A range: only a close ends it.
		if len(g.closes) == 0 {
			return false // rangeNeverClosed's finding
		}
		ranged, served, wait = true, g.closes, f.recvs[0]
	} else {
		for _, r := range f.recvs {
			if r.loop || r.ranges || c.g.InLoop(r.block) {
				return false
			}
		}
		wait = f.recvs[0]
		if !ssax.RunsBefore(ci.spawn.Site, wait.instr) {
			return false
		}
	}
	if len(served) == 0 {
		// The goroutine holds the channel but never sends on it or
		// closes it: nothing can serve the starter's receive.
		if ranged || len(g.recvs) > 0 || len(g.returned) > 0 || g.escapes {
			return false
		}
		c.report(analysis.Diagnostic{
			Pos:      wait.instr.Pos(),
			Category: CatRecv,
			Message: fmt.Sprintf("goroutine leak: the receive from %s in %s blocks for ever: the goroutine it is handed to never sends on it or closes it",
				ci.name, display(ci.fn)),
			Related: []analysis.RelatedInformation{{Pos: ci.spawn.Pos, Message: startedHere(ci.spawn)}},
		})
		return true
	}
	for _, op := range served {
		if op.loop || op.ranges || c.g.InLoop(op.block) {
			return false
		}
		if b, _ := op.at(); b == entry.Blocks[0] {
			return false // served before the goroutine can branch
		}
	}
	if c.servedFirst(ci, served, wait) {
		return false
	}
	ret := walkToReturn(entry, entry.Blocks[0].Instrs[0], served, &quietWalk{roomy: c.roomySend(ci)}, nil)
	if ret == nil {
		return false
	}
	var msg, rel string
	if ranged {
		msg = fmt.Sprintf("goroutine leak: the range over %s in %s never ends when the goroutine returns without closing %s",
			ci.name, display(ci.fn), ci.name)
		rel = "the goroutine returns here without closing " + ci.name
	} else {
		what := "sending on"
		switch {
		case len(g.sends) == 0:
			what = "closing"
		case len(g.closes) > 0:
			what = "sending on or closing"
		}
		msg = fmt.Sprintf("goroutine leak: the receive from %s in %s blocks for ever when the goroutine returns without %s %s",
			ci.name, display(ci.fn), what, ci.name)
		rel = fmt.Sprintf("the goroutine returns here without %s %s", what, ci.name)
	}
	c.report(analysis.Diagnostic{
		Pos:      wait.instr.Pos(),
		Category: CatRecv,
		Message:  msg,
		Related: []analysis.RelatedInformation{
			{Pos: retPos(ret), Message: rel},
			{Pos: ci.spawn.Pos, Message: startedHere(ci.spawn)},
		},
	})
	return true
}

// servedFirst reports whether the starter, on every path to wait, first
// receives from another channel it hands the goroutine, on which the
// goroutine sends only after serving the channel on every path: having
// received that value, the starter knows the goroutine took the serving
// path. The other channel may go elsewhere too (a test's polling
// closure): only its receives before wait and the goroutine's sends on
// it matter.
func (c *checker) servedFirst(ci *chanInfo, served []chanOp, wait chanOp) bool {
	s := ci.spawn
	inputs := entryInputs(s)
	for i, in := range inputs {
		outer := outerValue(s, i)
		if outer == nil || outer == ssa.Value(ci.mk) {
			continue
		}
		t := outer.Type().Underlying()
		if p, isCell := t.(*types.Pointer); isCell {
			t = p.Elem().Underlying() // a captured variable holding it
		}
		if _, isChan := t.(*types.Chan); !isChan || outer == ssa.Value(ci.fnUses.cell) {
			continue
		}
		fu := uses{params: c.paramUse}
		collect(outer, &fu, nil)
		gu := uses{params: c.paramUse}
		collect(in, &gu, nil)
		if len(gu.sends) == 0 || len(gu.closes) > 0 || gu.guarded {
			continue
		}
		before := false
		for _, r := range fu.recvs {
			if r.from == nil && precedes(r, wait) {
				before = true
			}
		}
		if !before {
			continue
		}
		after := true
		for _, snd := range gu.sends {
			dominated := false
			for _, sv := range served {
				if precedes(sv, snd) {
					dominated = true
				}
			}
			if !dominated {
				after = false
			}
		}
		if after {
			return true
		}
	}
	return false
}

// selectSkips reports a blocking select of the starter whose every case
// receives from a channel it made and handed to one goroutine alone,
// when that goroutine can return without sending on or closing any of
// them: no case can ever be chosen (a loader that returns on one error
// without reporting it, while the starter waits for a result or an
// error). The same conditions as producerSkips hold for each channel.
func (c *checker) selectSkips(fn *ssa.Function, chans []*chanInfo) {
	byVal := map[ssa.Value]*chanInfo{}
	for _, ci := range chans {
		byVal[ci.mk] = ci
		if cell := ci.fnUses.cell; cell != nil {
			for _, r := range *cell.Referrers() {
				if u, ok := r.(*ssa.UnOp); ok && u.X == cell {
					byVal[u] = ci
				}
			}
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			sel, ok := instr.(*ssa.Select)
			if !ok || !sel.Blocking || len(sel.States) < 2 || c.g.InLoop(b) {
				continue
			}
			var cis []*chanInfo
			for _, st := range sel.States {
				ci := byVal[st.Chan]
				if st.Dir != types.RecvOnly || ci == nil || len(cis) > 0 && ci.spawn != cis[0].spawn {
					cis = nil
					break
				}
				cis = append(cis, ci)
			}
			if len(cis) == 0 {
				continue
			}
			c.reportSelectSkip(sel, cis)
		}
	}
}

func (c *checker) reportSelectSkip(sel *ssa.Select, cis []*chanInfo) {
	s := cis[0].spawn
	entry := s.Entry
	if entry == nil || len(entry.Blocks) == 0 || entry.Recover != nil || s.Many || !ssax.RunsBefore(s.Site, sel) {
		return
	}
	var served []chanOp
	var names []string
	seen := map[*ssa.MakeChan]bool{}
	for _, ci := range cis {
		if seen[ci.mk] {
			continue
		}
		seen[ci.mk] = true
		f, g := &ci.fnUses, &ci.gUses
		if len(f.sends)+len(f.closes) > 0 || len(g.recvs) > 0 || g.guarded || g.deferClose || len(g.returned) > 0 || g.escapes {
			return
		}
		served = append(served, g.sends...)
		served = append(served, g.closes...)
		names = append(names, ci.name)
	}
	if len(served) == 0 {
		return
	}
	for _, op := range served {
		if op.loop || op.ranges || c.g.InLoop(op.block) {
			return
		}
		if b, _ := op.at(); b == entry.Blocks[0] {
			return
		}
	}
	ret := walkToReturn(entry, entry.Blocks[0].Instrs[0], served, &quietWalk{}, nil)
	if ret == nil {
		return
	}
	list := strings.Join(names, " or ")
	c.report(analysis.Diagnostic{
		Pos:      sel.Pos(),
		Category: CatRecv,
		Message: fmt.Sprintf("goroutine leak: the select in %s blocks for ever when the goroutine returns without sending on or closing %s",
			display(sel.Parent()), list),
		Related: []analysis.RelatedInformation{
			{Pos: retPos(ret), Message: "the goroutine returns here without sending on or closing " + list},
			{Pos: s.Pos, Message: startedHere(s)},
		},
	})
}

// roomySend returns the test for sends of ci's goroutine that cannot
// block: a send on a channel the starter made with a constant buffer
// and hands the goroutine, which sends on it no more times than the
// buffer holds, and which the starter does not send on itself (an error
// channel of one slot beside the result channel).
func (c *checker) roomySend(ci *chanInfo) func(*ssa.Send) bool {
	entry, s := ci.spawn.Entry, ci.spawn
	return func(x *ssa.Send) bool {
		if x.Parent() != entry {
			return false
		}
		var outer ssa.Value
		if mk, ok := ssax.Unspill(x.Chan).(*ssa.MakeChan); ok {
			outer = mk // a captured variable assigned once
		}
		switch v := x.Chan.(type) {
		case *ssa.FreeVar:
			for i, fv := range entry.FreeVars {
				if fv == v && i < len(s.Bindings) {
					outer = s.Bindings[i]
				}
			}
		case *ssa.Parameter:
			for i, p := range entry.Params {
				if p == v && i < len(s.Args) {
					outer = s.Args[i]
				}
			}
		}
		for {
			ct, ok := outer.(*ssa.ChangeType)
			if !ok {
				break
			}
			outer = ct.X
		}
		mk, ok := outer.(*ssa.MakeChan)
		if !ok || mk == ci.mk {
			return false
		}
		size, ok := constSize(mk)
		if !ok || size == 0 {
			return false
		}
		sends := int64(0)
		for _, b := range entry.Blocks {
			for _, in := range b.Instrs {
				if y, ok := in.(*ssa.Send); ok && (y.Chan == x.Chan || ssax.Unspill(y.Chan) == ssa.Value(mk)) {
					if c.g.InLoop(b) {
						return false
					}
					sends++
				}
			}
		}
		for _, r := range *mk.Referrers() {
			if y, ok := r.(*ssa.Send); ok && y.Chan == ssa.Value(mk) {
				return false // the starter fills it too
			}
		}
		return sends <= size
	}
}
