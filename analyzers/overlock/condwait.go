package overlock

import (
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/blocking"
	"github.com/syncvet/syncvet/passes/lockset"
)

// condWaitLock returns the lock that the Cond.Wait op (a direct call in
// fn) releases while it waits, when the Cond's lock is known
// (lockset.CondLock).
func (c *checker) condWaitLock(fn *ssa.Function, op *blocking.Op) (lockset.Lock, bool) {
	if !op.Direct() {
		return lockset.Lock{}, false
	}
	common := callCommon(op.Instr)
	if common == nil || syncapi.Call(common).Kind != syncapi.CondWait || len(common.Args) == 0 {
		return lockset.Lock{}, false
	}
	return c.ls.CondLock(fn, common.Args[0])
}

// wakerNeeds returns a function of the package that signals or
// broadcasts a Cond of condL's class and takes a lock of l's class, or
// nil: a Wait that holds l while it waits keeps that waker from waking
// it.
// A lock no waker takes only delays others (contention, not deadlock).
func (c *checker) wakerNeeds(condL, l lockset.Lock) *ssa.Function {
	if c.condWakers == nil {
		c.condWakers = map[string][]*ssa.Function{}
		for _, fn := range c.funcs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					call, ok := instr.(ssa.CallInstruction)
					if !ok || len(call.Common().Args) == 0 {
						continue
					}
					switch syncapi.Call(call.Common()).Kind {
					case syncapi.CondSignal, syncapi.CondBroadcast:
						if cl, ok := c.ls.CondLock(fn, call.Common().Args[0]); ok {
							c.condWakers[cl.Class] = append(c.condWakers[cl.Class], fn)
						}
					}
				}
			}
		}
	}
	for _, fn := range c.condWakers[condL.Class] {
		for _, e := range c.ls.Func(fn).Events() {
			if e.Kind == lockset.Acquire && e.Lock.Class == l.Class {
				return fn
			}
		}
	}
	return nil
}
