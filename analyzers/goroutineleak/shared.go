package goroutineleak

import (
	"fmt"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/passes/goroutines"
)

// checkSharedSenders counts the goroutines that fn starts, each with a
// go statement of its own, on every path before its receives, that
// send one value each on the channel mk: when fn receives fewer values
// on its longest path, plus the buffer's room, the others block for
// ever (the first of two replies wins, and the second has no one to
// take it).
//
//	ch := make(chan result)
//	go func() { ch <- primary(q) }()
//	go func() { ch <- replica(q) }()
//	return <-ch // the slower one blocks for ever
//
// A sender that selects (on ctx.Done(), a default) is left alone, and
// so is a channel that goes anywhere else.
func (c *checker) checkSharedSenders(fn *ssa.Function, mk *ssa.MakeChan, spawns []*goroutines.Spawn) {
	size, ok := constSize(mk)
	if !ok {
		return
	}
	type member struct {
		s     *goroutines.Spawn
		inner ssa.Value
		send  chanOp
	}
	var ms []member
	var fnUses uses
	fnUses.params = c.paramUse
	collect(mk, &fnUses, func(instr ssa.Instruction, idx int) bool {
		if idx < 0 {
			return false
		}
		for _, s := range spawns {
			if v, _ := handedTo(s, instr, idx); v != nil {
				ms = append(ms, member{s: s, inner: v})
				return true
			}
		}
		return false
	})
	if len(ms) < 2 || fnUses.escapes || len(fnUses.sends)+len(fnUses.closes)+len(fnUses.returned) > 0 || len(fnUses.recvs) == 0 {
		return
	}
	recvs := fnUses.recvs
	if c.recvInLoop(recvs) {
		return
	}
	seen := map[*goroutines.Spawn]bool{}
	for i := range ms {
		m := &ms[i]
		s := m.s
		if seen[s] || s.Many || !plainOrGroup(s.Kind) || s.Parent != fn {
			return
		}
		seen[s] = true
		// The go statement runs on every path to the receives.
		for _, r := range recvs {
			if !runsBefore(s.Site, r) {
				return
			}
		}
		var g uses
		g.params = c.paramUse
		collect(m.inner, &g, nil)
		if g.escapes || g.guarded || len(g.recvs)+len(g.closes)+len(g.returned) > 0 || len(g.sends) == 0 ||
			!c.oneSendPerPath(g.sends) || c.sendsInLoop(g.sends) {
			return
		}
		m.send = g.sends[0]
	}
	most, _ := longestChain(recvs)
	n := int64(len(ms))
	if n <= int64(most)+size {
		return
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].s.Pos < ms[j].s.Pos })
	extra := n - int64(most) - size
	name := c.chanDisplay(mk, fnUses.cell)
	var related []analysis.RelatedInformation
	for _, m := range ms {
		related = append(related, analysis.RelatedInformation{Pos: m.s.Pos, Message: startedHere(m.s)})
	}
	related = append(related, analysis.RelatedInformation{Pos: recvs[0].instr.Pos(), Message: "receives here"})
	c.report(analysis.Diagnostic{
		Pos:      ms[len(ms)-1].send.instr.Pos(), // the goroutine started last
		Category: CatSend,
		Message: fmt.Sprintf("goroutine leak: %d goroutines send on %s once each but %s receives at most %d%s: %d of them %s for ever",
			n, name, display(fn), most, bufferNote(size), extra, names.Plural(int(extra), "blocks", "block")),
		Related: related,
	})
}

// runsBefore reports whether the go statement site runs on every path
// to the operation r of the same function.
func runsBefore(site ssa.Instruction, r chanOp) bool {
	b := r.instr.Block()
	if site.Block() == b {
		for _, in := range b.Instrs {
			if in == site {
				return true
			}
			if in == r.instr {
				return false
			}
		}
		return false
	}
	return site.Block().Dominates(b)
}
