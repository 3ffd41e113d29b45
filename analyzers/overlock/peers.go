package overlock

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/blocking"
	"github.com/syncvet/syncvet/passes/lockset"
)

// fieldPeers is what the package does with one unexported channel or
// WaitGroup field of its own struct types: the operations that serve a
// wait on it.
type fieldPeers struct {
	ch      ssax.FieldChan    // for a channel field
	dones   []ssa.Instruction // for a WaitGroup field: its Done calls
	unknown bool              // a WaitGroup handed elsewhere
}

// known reports whether every use of the field is in sight: a channel
// field stores only makes (or nil) and goes nowhere else.
func (p *fieldPeers) known() bool {
	if p.unknown || p.ch.Unknown || len(p.ch.Getters) > 0 {
		return false
	}
	for _, st := range p.ch.Stores {
		if _, made := st.Val.(*ssa.MakeChan); !made {
			if k, isConst := st.Val.(*ssa.Const); !isConst || !k.IsNil() {
				return false
			}
		}
	}
	return true
}

// opsOf returns the instructions of ops.
func opsOf(ops []ssax.ChanOp) []ssa.Instruction {
	out := make([]ssa.Instruction, len(ops))
	for i, op := range ops {
		out[i] = op.Instr
	}
	return out
}

// peerFree reports whether op, a receive, send or single-case select on
// a channel field, or a WaitGroup.Wait on a group field, waits only on
// goroutines that never take lock l: every operation of the package
// that can serve it (a send or close for a receive, a receive for a
// send, a Done for a Wait) sits in a function started as a goroutine,
// which neither holds l there nor takes a lock of l's class anywhere,
// and does no slow work (sleeps, file or network I/O) unless the waiting
// function signalled it to stop first (stopSignalled).
// Holding l across the wait then delays others (contention) but cannot
// keep the wait from ending: the join after a stop signal, the hand-off
// to a worker that owns its state.
func (c *checker) peerFree(op *blocking.Op, l lockset.Lock) bool {
	if !op.Direct() || op.Operand == nil || l.Anonymous() || l.Unknown {
		return false
	}
	f := channelField(op.Operand)
	if f == nil {
		return false
	}
	if c.peers == nil {
		c.indexPeers()
	}
	p := c.peers[f]
	if p == nil || !p.known() {
		return false
	}
	var serving []ssa.Instruction
	switch op.Kind {
	case blocking.Recv:
		serving = append(opsOf(p.ch.Sends), p.ch.Closes...)
	case blocking.Send:
		serving = opsOf(p.ch.Recvs)
	case blocking.Select:
		sel, ok := op.Instr.(*ssa.Select)
		if !ok || len(sel.States) != 1 {
			return false
		}
		if sel.States[0].Dir == types.SendOnly {
			serving = opsOf(p.ch.Recvs)
		} else {
			serving = append(opsOf(p.ch.Sends), p.ch.Closes...)
		}
	default:
		if syncapi.Call(callCommon(op.Instr)).Kind != syncapi.WaitGroupWait {
			return false
		}
		serving = p.dones
	}
	if len(serving) == 0 {
		return false
	}
	signalled := c.stopSignalled(op.Instr)
	for _, s := range serving {
		fn := s.Parent()
		if !c.entries[fn] {
			return false
		}
		fl := c.ls.Func(fn)
		if fl == nil {
			return false
		}
		// A lock known only by its mutex type (a *sync.Mutex parameter)
		// is taken to be another one: l is a named field or variable.
		for _, h := range fl.MayHeld(s) {
			if h.Class == l.Class {
				return false
			}
		}
		for _, e := range fl.Events() {
			if e.Kind != lockset.Release && e.Lock.Class == l.Class {
				return false
			}
		}
		if !c.promptPeer[fn] && !signalled {
			return false
		}
	}
	return true
}

// stopSignalled reports whether, on every path to the wait at instr,
// its function first sends a stop signal that goroutines of the package
// listen for: it closes a channel field that a goroutine entry receives
// from, or calls a context's cancel function. A serving goroutine that
// does slow work then stops at its next check instead of finishing its
// queue: the join after the signal ends soon (the Close that cancels and
// waits for its worker).
func (c *checker) stopSignalled(instr ssa.Instruction) bool {
	fn := instr.Parent()
	for _, b := range fn.Blocks {
		if b != instr.Block() && !b.Dominates(instr.Block()) {
			continue
		}
		for _, in := range b.Instrs {
			if in == instr {
				break
			}
			call, ok := in.(*ssa.Call)
			if !ok {
				continue
			}
			cc := call.Common()
			if syncapi.IsCancelFunc(cc.Value.Type()) {
				return true
			}
			if bi, ok := cc.Value.(*ssa.Builtin); ok && bi.Name() == "close" && len(cc.Args) == 1 {
				f := channelField(cc.Args[0])
				if f == nil || c.peers[f] == nil {
					continue
				}
				for _, r := range c.peers[f].ch.Recvs {
					if c.entries[r.Instr.Parent()] {
						return true
					}
				}
			}
		}
	}
	return false
}

// prompt reports whether fn, a function serving a channel or WaitGroup
// field, does no slow work of its own: no sleep and no file or network
// I/O, directly or through calls. Its other waits are on channels (for
// work, or to stop). A peer that does slow work per item keeps the
// lock holder waiting as long: that contention is overlock's finding.
func (c *checker) prompt(fn *ssa.Function) bool {
	for _, op := range c.bl.Ops(fn) {
		if op.Kind == blocking.IO || op.Kind == blocking.Sleep {
			return false
		}
	}
	return true
}

// callCommon returns the call of instr, or an empty one.
func callCommon(instr ssa.Instruction) *ssa.CallCommon {
	if c, ok := instr.(ssa.CallInstruction); ok {
		return c.Common()
	}
	return &ssa.CallCommon{}
}

// channelField returns the unexported field of a struct type that v, a
// channel loaded from it or the address of a WaitGroup in it, comes
// from, or nil.
func channelField(v ssa.Value) *types.Var {
	f := ssax.FieldOfValue(v)
	if f == nil || f.Exported() {
		return nil
	}
	return f
}

// indexPeers finds the operations of the package on its unexported
// channel and WaitGroup fields, and the functions it starts as
// goroutines.
func (c *checker) indexPeers() {
	c.peers = map[*types.Var]*fieldPeers{}
	c.peerIDs = map[string]*fieldPeers{}
	c.entries = map[*ssa.Function]bool{}
	c.promptPeer = map[*ssa.Function]bool{}
	for _, s := range c.gr.Spawns {
		if s.Entry != nil {
			c.entries[s.Entry] = true
			c.promptPeer[s.Entry] = c.prompt(s.Entry)
		}
	}
	for _, fn := range c.funcs {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				fa, ok := in.(*ssa.FieldAddr)
				if !ok {
					continue
				}
				f := ssax.FieldOf(fa)
				if f == nil || f.Exported() || f.Pkg() != c.pass.Pkg {
					continue
				}
				switch {
				case isChan(f.Type()):
					p := c.peerOf(f)
					p.ch.AddAddr(fa)
					if id := ssax.FieldID(fa); id != "" {
						c.peerIDs[id] = p
					}
				case syncapi.TypeOf(types.NewPointer(f.Type())) == syncapi.WaitGroup:
					p := c.peerOf(f)
					p.groupAddr(fa)
				}
			}
		}
	}
}

func (c *checker) peerOf(f *types.Var) *fieldPeers {
	p := c.peers[f]
	if p == nil {
		p = &fieldPeers{}
		c.peers[f] = p
	}
	return p
}

func isChan(t types.Type) bool {
	_, ok := types.Unalias(t).Underlying().(*types.Chan)
	return ok
}

// groupAddr sorts the uses of a WaitGroup field's address: its Done
// calls; any use but Add, Done and Wait hands it to unknown code.
func (p *fieldPeers) groupAddr(fa *ssa.FieldAddr) {
	for _, r := range *fa.Referrers() {
		switch x := r.(type) {
		case *ssa.DebugRef:
		case ssa.CallInstruction:
			op := syncapi.Call(x.Common())
			if op.RecvArg(x.Common()) != fa {
				p.unknown = true
				continue
			}
			switch op.Kind {
			case syncapi.WaitGroupDone:
				p.dones = append(p.dones, x)
			case syncapi.WaitGroupAdd, syncapi.WaitGroupWait:
			default:
				p.unknown = true // Go: the group counts goroutines not followed here
			}
		default:
			p.unknown = true
		}
	}
}

// receiverNeedsLock reports whether a buffered send (blocking.Op's
// Buffered) made while l is held, here or down a chain of calls, can
// wait on a receiver that needs l: the channel is an unexported field of
// this package whose every use is in sight, and some function receiving
// from it holds l's class there or takes a lock of that class, itself or
// through a call of a function value when some function literal or
// method value of the package takes that class. A full
// buffer then stays full while the receiver waits for the sender's
// lock: a deadlock, not just back-pressure. A receiver out of sight, or
// one that never needs l, only slows the sender down.
func (c *checker) receiverNeedsLock(op *blocking.Op, l lockset.Lock) bool {
	if op.Field == "" || l.Anonymous() || l.Unknown {
		return false
	}
	if c.peers == nil {
		c.indexPeers()
	}
	p := c.peerIDs[op.Field]
	if p == nil || !p.known() {
		return false
	}
	for _, r := range p.ch.Recvs {
		fl := c.ls.Func(r.Instr.Parent())
		if fl == nil {
			continue
		}
		for _, h := range fl.MayHeld(r.Instr) {
			if h.Class == l.Class {
				return true
			}
		}
		for _, e := range fl.Events() {
			if e.Kind != lockset.Release && e.Lock.Class == l.Class {
				return true
			}
		}
		if c.valueLockers()[l.Class] && c.callsFuncValue(r.Instr.Parent()) {
			return true
		}
	}
	return false
}

// valueLockers returns the lock classes that functions of the package
// used as values (function literals, method values, functions passed
// or stored) acquire: a call through a function value may run them.
func (c *checker) valueLockers() map[string]bool {
	if c.valLocks != nil {
		return c.valLocks
	}
	c.valLocks = map[string]bool{}
	var ops []*ssa.Value
	add := func(fn *ssa.Function) {
		fl := c.ls.Func(fn)
		if fl == nil {
			return
		}
		for _, e := range fl.Events() {
			if e.Kind == lockset.Acquire {
				c.valLocks[e.Lock.Class] = true
			}
		}
	}
	for _, fn := range c.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if mc, ok := instr.(*ssa.MakeClosure); ok {
					if f, ok := mc.Fn.(*ssa.Function); ok && !calledOnly(mc) {
						add(f)
					}
					continue
				}
				call, isCall := instr.(ssa.CallInstruction)
				for _, op := range instr.Operands(ops[:0]) {
					f, ok := (*op).(*ssa.Function)
					if !ok || (isCall && op == &call.Common().Value) {
						continue
					}
					add(f)
				}
			}
		}
	}
	return c.valLocks
}

// calledOnly reports whether a closure is only ever called where it is
// made (go func(){...}(), defer func(){...}(), f := func(){...}; f()).
func calledOnly(mc *ssa.MakeClosure) bool {
	for _, r := range *mc.Referrers() {
		call, ok := r.(ssa.CallInstruction)
		if !ok || call.Common().Value != mc {
			return false
		}
		for _, a := range call.Common().Args {
			if a == mc {
				return false
			}
		}
	}
	return true
}

// callsFuncValue reports whether fn calls a function value that is not
// statically known: a func-typed field, parameter or variable. A
// context's cancel func, or a field that only ever holds one, runs the
// context's code, never the package's.
func (c *checker) callsFuncValue(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok || call.Common().IsInvoke() || call.Common().StaticCallee() != nil {
				continue
			}
			v := call.Common().Value
			if _, builtin := v.(*ssa.Builtin); builtin {
				continue
			}
			if syncapi.IsCancelFunc(v.Type()) || c.cancelField(v) {
				continue
			}
			return true
		}
	}
	return false
}

// cancelField reports whether v is loaded from a field of the package
// to which every store is a context's cancel func.
func (c *checker) cancelField(v ssa.Value) bool {
	ld, ok := v.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return false
	}
	fa, ok := ld.X.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	f := ssax.FieldOf(fa)
	if f == nil || f.Pkg() != c.pass.Pkg {
		return false
	}
	if ok, seen := c.cancelFields[f]; seen {
		return ok
	}
	stores := 0
	all := true
	for _, fn := range c.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				sfa, ok := st.Addr.(*ssa.FieldAddr)
				if !ok || ssax.FieldOf(sfa) != f {
					continue
				}
				stores++
				val := st.Val
				if ct, ok := val.(*ssa.ChangeType); ok {
					val = ct.X
				}
				if !syncapi.IsCancelFunc(val.Type()) {
					all = false
				}
			}
		}
	}
	if c.cancelFields == nil {
		c.cancelFields = map[*types.Var]bool{}
	}
	c.cancelFields[f] = all && stores > 0
	return c.cancelFields[f]
}
