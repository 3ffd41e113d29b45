package goroutineleak

import (
	"fmt"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// CatDropped is the category of a dropped channel whose sender blocks
// for ever.
const CatDropped = "dropped"

// PendingSend is the fact that a function returns, as result Index, an
// unbuffered channel it made, that a goroutine it starts sends on while
// nothing else receives from it: the caller must receive, or the
// goroutine blocks for ever.
type PendingSend struct {
	Index int
	// Loop is set when the goroutine sends in a loop (a generator): the
	// caller must receive until the channel is closed.
	Loop bool
	// Forever is set, with Loop, when no send of the goroutine can reach
	// a return and it never closes the channel: it sends for ever, and
	// any caller that stops receiving leaves it blocked.
	Forever bool
	// Unclosed is set, with Loop, when the goroutine can return without
	// closing the channel (it never closes it, or an early return skips
	// the close): a caller that ranges over it waits for ever.
	Unclosed bool
}

// AFact marks PendingSend as an analysis fact.
func (*PendingSend) AFact() {}

func (f *PendingSend) String() string {
	if f.Unclosed {
		return fmt.Sprintf("pendingSend(%d, loop, unclosed)", f.Index)
	}
	if f.Forever {
		return fmt.Sprintf("pendingSend(%d, loop, forever)", f.Index)
	}
	if f.Loop {
		return fmt.Sprintf("pendingSend(%d, loop)", f.Index)
	}
	return fmt.Sprintf("pendingSend(%d)", f.Index)
}

// exportPending exports a PendingSend fact when ci is a channel that fn
// returns, after handing it to one goroutine that only sends on it.
func (c *checker) exportPending(ci *chanInfo) {
	f, g := &ci.fnUses, &ci.gUses
	obj, ok := ci.fn.Object().(*types.Func)
	if !ok || ci.fn.Parent() != nil || len(f.returned) != 1 {
		return
	}
	if len(f.sends)+len(f.recvs)+len(f.closes) > 0 || f.guarded {
		return
	}
	if ci.spawn.Many || g.guarded || len(g.sends) == 0 || len(g.recvs) > 0 {
		return
	}
	size, ok := constSize(ci.mk)
	if !ok {
		return
	}
	if c.sendsInLoop(g.sends) {
		// A generator: it sends until its loop ends, then may close.
		forever := len(g.closes) == 0
		for _, snd := range g.sends {
			if b, _ := snd.at(); reachesReturn(b) {
				forever = false
			}
		}
		c.pass.ExportObjectFact(obj, &PendingSend{Index: f.returned[0], Loop: true, Forever: forever, Unclosed: !forever && c.returnsUnclosed(ci)})
		return
	}
	if len(g.closes) > 0 || !c.oneSendPerPath(g.sends) || size != 0 {
		return
	}
	c.pass.ExportObjectFact(obj, &PendingSend{Index: f.returned[0]})
}

// returnsUnclosed reports whether ci's goroutine can return without
// closing the channel. Paths that fail a test, end the program or wait
// on another channel are not followed (walkToReturn), nor are
// goroutines that recover.
func (c *checker) returnsUnclosed(ci *chanInfo) bool {
	g := &ci.gUses
	entry := ci.spawn.Entry
	if g.deferClose || entry == nil || len(entry.Blocks) == 0 || entry.Recover != nil || len(g.returned) > 0 || g.escapes {
		return false
	}
	for _, op := range g.closes {
		if op.loop || op.ranges {
			return false // closed by a callee: its paths are not in view
		}
	}
	return walkToReturn(entry, entry.Blocks[0].Instrs[0], g.closes, &quietWalk{}, nil) != nil
}

// checkDropped reports calls of functions with a PendingSend fact that
// drop the channel: its sender blocks for ever.
func (c *checker) checkDropped(funcs []*ssa.Function) {
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				call, ok := in.(*ssa.Call)
				if !ok {
					continue
				}
				callee := call.Call.StaticCallee()
				if callee == nil {
					continue
				}
				if o := callee.Origin(); o != nil {
					callee = o
				}
				obj, ok := callee.Object().(*types.Func)
				if !ok {
					continue
				}
				var fact PendingSend
				if !c.pass.ImportObjectFact(obj, &fact) {
					continue
				}
				if resultUsed(call, fact.Index) {
					if fact.Loop {
						c.checkGenerator(fn, call, callee, obj, fact)
					}
					continue
				}
				if fact.Loop && !fact.Forever {
					continue // a loop that can end, maybe before its buffer fills
				}
				name := display(callee)
				if obj.Pkg() != c.pass.Pkg && callee.Signature.Recv() == nil {
					name = obj.Pkg().Name() + "." + name
				}
				c.report(analysis.Diagnostic{
					Pos:      call.Pos(),
					Category: CatDropped,
					Message:  fmt.Sprintf("goroutine leak: the channel %s returns is dropped, so the goroutine it starts blocks for ever sending on it", name),
					Related:  []analysis.RelatedInformation{{Pos: obj.Pos(), Message: name + " starts a goroutine that sends on the channel it returns"}},
				})
			}
		}
	}
}

// resultUsed reports whether result i of call is used.
func resultUsed(call *ssa.Call, i int) bool {
	refs := call.Referrers()
	if refs == nil {
		return false
	}
	tuple := call.Call.Signature().Results().Len() > 1
	for _, r := range *refs {
		switch x := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Extract:
			if !tuple || x.Index != i {
				continue
			}
			if xr := x.Referrers(); xr != nil {
				for _, u := range *xr {
					if _, dbg := u.(*ssa.DebugRef); !dbg {
						return true
					}
				}
			}
		default:
			if !tuple {
				return true
			}
		}
	}
	return false
}

// checkGenerator reports a caller that ranges over the channel a
// generator returns (a goroutine sending in a loop) and can return
// before the channel is closed: the generator's next send blocks for
// ever.
func (c *checker) checkGenerator(fn *ssa.Function, call *ssa.Call, callee *ssa.Function, obj *types.Func, fact PendingSend) {
	v := resultValue(call, fact.Index)
	if v == nil {
		return
	}
	u := uses{params: c.paramUse}
	collect(v, &u, nil)
	if u.escapes || u.guarded || len(u.recvs) == 0 || len(u.sends)+len(u.closes)+len(u.returned) > 0 {
		return
	}
	if fact.Unclosed && c.rangesUnclosed(fn, call, callee, obj, u.recvs) {
		return
	}
	ret, _, _ := consumerExit(fn, u.recvs)
	if ret == nil && fact.Forever {
		// A generator that never stops: any return after the last
		// receive leaves it blocked in its next send.
		for _, r := range u.recvs {
			if r.ranges || r.loop {
				return // a callee's receive loop: followed no further
			}
		}
		ret = returnAvoiding(fn, u.recvs[len(u.recvs)-1].instr, nil)
	}
	if ret == nil {
		return
	}
	name := display(callee)
	if obj.Pkg() != c.pass.Pkg && callee.Signature.Recv() == nil {
		name = obj.Pkg().Name() + "." + name
	}
	c.report(analysis.Diagnostic{
		Pos:      retPos(ret),
		Category: CatSend,
		Message: fmt.Sprintf("goroutine leak: %s returns here while the goroutine %s started keeps sending on the channel it returned: that goroutine blocks for ever",
			display(fn), name),
		Related: []analysis.RelatedInformation{
			{Pos: call.Pos(), Message: "the channel comes from this call"},
			{Pos: obj.Pos(), Message: name + " starts a goroutine that sends on it in a loop"},
		},
	})
}

// resultValue returns the value of result i of call, or nil when it is
// not extracted.
func resultValue(call *ssa.Call, i int) ssa.Value {
	if call.Call.Signature().Results().Len() == 1 {
		return call
	}
	if refs := call.Referrers(); refs != nil {
		for _, r := range *refs {
			if x, ok := r.(*ssa.Extract); ok && x.Index == i {
				return x
			}
		}
	}
	return nil
}

// rangesUnclosed reports (and reports true for) a caller whose only
// receive from the channel a generator returns is a range, when the
// generator's goroutine can return without closing the channel: the
// range then never ends.
func (c *checker) rangesUnclosed(fn *ssa.Function, call *ssa.Call, callee *ssa.Function, obj *types.Func, recvs []chanOp) bool {
	if len(recvs) != 1 {
		return false
	}
	r := recvs[0]
	if !r.ok || r.from != nil || r.loop || r.ranges || !c.g.InLoop(r.block) || !onlyExitByClose(fn, r) {
		return false
	}
	name := display(callee)
	if obj.Pkg() != c.pass.Pkg && callee.Signature.Recv() == nil {
		name = obj.Pkg().Name() + "." + name
	}
	c.report(analysis.Diagnostic{
		Pos:      r.instr.Pos(),
		Category: CatRecv,
		Message: fmt.Sprintf("goroutine leak: the range over the channel %s returns never ends when its goroutine returns without closing the channel",
			name),
		Related: []analysis.RelatedInformation{
			{Pos: call.Pos(), Message: "the channel comes from this call"},
			{Pos: obj.Pos(), Message: name + " starts a goroutine that can return without closing it"},
		},
	})
	return true
}
