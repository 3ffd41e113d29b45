package goroutineleak

import (
	"fmt"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/passes/goroutines"
)

// checkSiblingConsumer reports a producer and a consumer that fn starts
// side by side on the channel mk, which fn itself neither sends on,
// receives from nor closes: the producer sends in a loop, the consumer
// receives in a loop it can leave before the channel is closed (a
// return on the first error). Once the consumer has gone, nobody
// receives, and the producer's next send blocks for ever; a Wait on the
// group both belong to then blocks too.
//
//	ch := make(chan item)
//	g.Go(func() error { defer close(ch); for _, it := range items { ch <- it }; return nil })
//	g.Go(func() error { for it := range ch { if err := f(it); err != nil { return err } }; return nil })
//	return g.Wait() // the producer blocks in its send, Wait for ever
//
// A producer that selects on ctx.Done() (which errgroup cancels when
// the consumer returns its error) or a default is left alone, and so
// are goroutines started in a loop (another consumer may go on
// receiving) and a channel that goes anywhere else.
func (c *checker) checkSiblingConsumer(fn *ssa.Function, mk *ssa.MakeChan, spawns []*goroutines.Spawn) {
	type member struct {
		s     *goroutines.Spawn
		inner ssa.Value
		u     uses
	}
	var ms []*member
	var fnUses uses
	fnUses.params = c.paramUse
	collect(mk, &fnUses, func(instr ssa.Instruction, idx int) bool {
		if idx < 0 {
			return false
		}
		for _, s := range spawns {
			if v, _ := handedTo(s, instr, idx); v != nil {
				for _, m := range ms {
					if m.s == s {
						return false // handed to one goroutine twice
					}
				}
				ms = append(ms, &member{s: s, inner: v})
				return true
			}
		}
		return false
	})
	if len(ms) != 2 || fnUses.escapes || len(fnUses.sends)+len(fnUses.recvs)+len(fnUses.closes)+len(fnUses.returned) > 0 {
		return
	}
	var prod, cons *member
	for _, m := range ms {
		if m.s.Many || !plainOrGroup(m.s.Kind) || m.s.Parent != fn {
			return
		}
		m.u.params = c.paramUse
		m.u.neverDone = func(ctx ssa.Value) bool { return detachedCtx(m.s, ctx) }
		collect(m.inner, &m.u, nil)
		if m.u.escapes || len(m.u.returned) > 0 {
			return
		}
		switch {
		case len(m.u.sends) > 0 && len(m.u.recvs) == 0:
			prod = m
		case len(m.u.recvs) > 0 && len(m.u.sends)+len(m.u.closes) == 0:
			cons = m
		}
	}
	if prod == nil || cons == nil || prod.u.guarded || !c.sendsInLoop(prod.u.sends) {
		return
	}
	size, known := constSize(mk)
	if !known {
		return
	}
	cfn := cons.s.Entry
	for _, r := range cons.u.recvs {
		if r.instr.Parent() != cfn {
			return // a receive the consumer's callee makes
		}
	}
	ret, first, signal := consumerExit(cfn, cons.u.recvs)
	if ret == nil || signal && size > 0 {
		return
	}
	name := c.chanDisplay(mk, fnUses.cell)
	how := "it can leave its receive loop before " + name + " is closed"
	if signal {
		how = "it leaves its receive loop on another case of its select while the producer may still send"
	} else if first {
		how = "its range over " + name + " leaves after the first value while the producer sends in a loop"
	}
	c.report(analysis.Diagnostic{
		Pos:      prod.u.sends[0].instr.Pos(),
		Category: CatSend,
		Message: fmt.Sprintf("goroutine leak: the send on %s blocks for ever once the goroutine that receives from it stops receiving: %s",
			name, how),
		Related: []analysis.RelatedInformation{
			{Pos: retPos(ret), Message: "the receiving goroutine returns here with the producer still sending"},
			{Pos: prod.s.Pos, Message: "producer started here"},
			{Pos: cons.s.Pos, Message: "receiver started here"},
		},
	})
}
