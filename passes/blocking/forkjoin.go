package blocking

import (
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/lockset"
)

// forkJoinRecv reports a receive from a channel made in fn that only
// goroutines fn starts send on, each once, after work that cannot block
// and takes no lock: the receive waits for computation, not for a party
// that could need what the caller holds (a pool per host built by one
// goroutine each, then collected under the lock).
//
//	for _, h := range hosts { go func(h *Host) { pools <- newPool(h) }(h) }
//	for n > 0 { p := <-pools; n--; ... }
func (a *analyzer) forkJoinRecv(fn *ssa.Function, recv *ssa.UnOp) bool {
	if a.inForkJoin {
		return false // a receive inside a worker being examined: counted as blocking
	}
	a.inForkJoin = true
	defer func() { a.inForkJoin = false }()
	x := ssax.Unwrap(recv.X, ssax.WrapChangeType)
	if load, ok := x.(*ssa.UnOp); ok && load.Op == token.MUL {
		cell, ok := load.X.(*ssa.Alloc)
		if !ok || cell.Parent() != fn {
			return false
		}
		mk := soleStoredMake(cell)
		if mk == nil || mk.Parent() != fn {
			return false
		}
		// A variable closures capture: the make stored once, the cell
		// loaded for receives here and handed to the workers.
		workers := 0
		for _, r := range *cell.Referrers() {
			switch u := r.(type) {
			case *ssa.Store:
				if u.Val != ssa.Value(mk) {
					return false
				}
			case *ssa.UnOp:
				if u.Op != token.MUL || !a.workerHandle(fn, u, &workers) {
					return false
				}
			case *ssa.MakeClosure:
				if !a.workerClosure(u, cell, true) {
					return false
				}
				workers++
			case *ssa.DebugRef:
			default:
				return false
			}
		}
		return workers > 0
	}
	mk, ok := x.(*ssa.MakeChan)
	if !ok || mk.Parent() != fn {
		return false
	}
	workers := 0
	return a.workerHandle(fn, mk, &workers) && workers > 0
}

// workerHandle reports whether every use of ch, a value of the channel
// in fn, is a receive, a conversion used the same way, or a hand-over
// to a quick sender started by a go statement (counted in workers).
func (a *analyzer) workerHandle(fn *ssa.Function, ch ssa.Value, workers *int) bool {
	refs := ch.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		switch u := r.(type) {
		case *ssa.UnOp:
			if u.Op != token.ARROW {
				return false
			}
		case *ssa.ChangeType:
			if !a.workerHandle(fn, u, workers) {
				return false
			}
		case *ssa.MakeClosure:
			if !a.workerClosure(u, ch, false) {
				return false
			}
			*workers++
		case *ssa.Go:
			callee := u.Call.StaticCallee()
			if callee == nil || callee.Pkg != a.ssapkg || len(callee.Blocks) == 0 || u.Call.Value == ch {
				return false
			}
			for i, arg := range u.Call.Args {
				if arg == ch && (i >= len(callee.Params) || !a.quickSender(callee, callee.Params[i], false)) {
					return false
				}
			}
			*workers++
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}

// workerClosure reports whether mc is started by one go statement and
// its body sends once on the channel it captures as v (a cell when
// cell is set), quickly.
func (a *analyzer) workerClosure(mc *ssa.MakeClosure, v ssa.Value, cell bool) bool {
	if !soleGo(mc) {
		return false
	}
	body := mc.Fn.(*ssa.Function)
	for i, b := range mc.Bindings {
		if b == v && (i >= len(body.FreeVars) || !a.quickSender(body, body.FreeVars[i], cell)) {
			return false
		}
	}
	return true
}

// soleGo reports whether mc's only use is as the function of one go
// statement.
func soleGo(mc *ssa.MakeClosure) bool {
	refs := mc.Referrers()
	if refs == nil {
		return false
	}
	n := 0
	for _, r := range *refs {
		switch u := r.(type) {
		case *ssa.Go:
			if u.Call.Value != ssa.Value(mc) {
				return false
			}
			n++
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return n == 1
}

// quickSender reports whether entry sends on its channel ch (loaded
// from ch when cell is set) once, outside any loop, does nothing else
// with it, and otherwise runs only code that cannot block and takes no
// lock (quietFunc).
func (a *analyzer) quickSender(entry *ssa.Function, ch ssa.Value, cell bool) bool {
	var send *ssa.Send
	var visit func(v ssa.Value, load bool) bool
	visit = func(v ssa.Value, load bool) bool {
		refs := v.Referrers()
		if refs == nil {
			return false
		}
		for _, r := range *refs {
			switch u := r.(type) {
			case *ssa.UnOp:
				if !load || u.Op != token.MUL || !visit(u, false) {
					return false
				}
			case *ssa.ChangeType:
				if load || !visit(u, false) {
					return false
				}
			case *ssa.Send:
				if load || u.Chan != v || send != nil || a.inLoop(entry, u.Block()) {
					return false
				}
				send = u
			case *ssa.MakeClosure:
				// defer func() { recover(); ch <- ret }(): the send
				// runs once, as entry returns, even after a panic.
				snd := a.deferredSend(entry, u, v, false)
				if load || snd == nil || send != nil || a.inLoop(entry, u.Block()) {
					return false
				}
				send = snd
			case *ssa.Store:
				// The same with ch spilled to a cell for the closure.
				cell, ok := u.Addr.(*ssa.Alloc)
				if load || u.Val != v || !ok || send != nil {
					return false
				}
				for _, cr := range *cell.Referrers() {
					switch w := cr.(type) {
					case *ssa.Store:
						if w != u {
							return false
						}
					case *ssa.MakeClosure:
						snd := a.deferredSend(entry, w, cell, true)
						if snd == nil || send != nil || a.inLoop(entry, w.Block()) {
							return false
						}
						send = snd
					case *ssa.DebugRef:
					default:
						return false
					}
				}
			case *ssa.DebugRef:
			default:
				return false
			}
		}
		return true
	}
	if !visit(ch, cell) || send == nil {
		return false
	}
	return a.quietFunc(entry, send, map[*ssa.Function]bool{}, 0)
}

// deferredSend returns the one send on v (on what it holds, when v is
// a cell) in the body of mc, a closure that captures v and that entry
// only defers, outside any loop of the body; nil otherwise.
func (a *analyzer) deferredSend(entry *ssa.Function, mc *ssa.MakeClosure, v ssa.Value, cell bool) *ssa.Send {
	deferred := 0
	for _, r := range *mc.Referrers() {
		switch u := r.(type) {
		case *ssa.Defer:
			if u.Call.Value != ssa.Value(mc) || u.Parent() != entry {
				return nil
			}
			deferred++
		case *ssa.DebugRef:
		default:
			return nil
		}
	}
	body := mc.Fn.(*ssa.Function)
	if deferred != 1 {
		return nil
	}
	var send *ssa.Send
	for i, b := range mc.Bindings {
		if b != v {
			continue
		}
		if i >= len(body.FreeVars) || send != nil {
			return nil
		}
		fv := ssa.Value(body.FreeVars[i])
		var uses []ssa.Instruction
		for _, r := range *fv.Referrers() {
			if ld, ok := r.(*ssa.UnOp); ok && cell && ld.Op == token.MUL {
				uses = append(uses, *ld.Referrers()...)
				continue
			}
			uses = append(uses, r)
		}
		for _, r := range uses {
			switch u := r.(type) {
			case *ssa.Send:
				if send != nil || a.inLoop(body, u.Block()) {
					return nil
				}
				if ld, ok := u.Chan.(*ssa.UnOp); u.Chan != fv && !(cell && ok && ld.X == fv) {
					return nil
				}
				send = u
			case *ssa.DebugRef:
			default:
				return nil
			}
		}
	}
	return send
}

// quietFunc reports whether fn, apart from skip, contains no operation
// that may block, no lock acquisition and no call that could do either:
// calls are followed into the package's functions (four deep); a call
// of another package's function counts when its blocking fact, or the
// table of blocking standard-library calls, says it may block; a call
// of a function value or an interface method counts as blocking.
func (a *analyzer) quietFunc(fn *ssa.Function, skip ssa.Instruction, seen map[*ssa.Function]bool, depth int) bool {
	if seen[fn] {
		return true
	}
	seen[fn] = true
	if depth > 4 || len(fn.Blocks) == 0 {
		return false
	}
	for _, ev := range a.ls.Func(fn).Events() {
		if ev.Kind == lockset.Take || ev.Kind == lockset.Acquire || ev.Kind == lockset.TryAcquire {
			return false
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if instr == skip {
				continue
			}
			if op := a.directOp(fn, instr); op != nil {
				return false
			}
			var common *ssa.CallCommon
			switch c := instr.(type) {
			case *ssa.Call:
				common = &c.Call
			case *ssa.Defer:
				common = &c.Call
			default:
				continue
			}
			if _, builtin := common.Value.(*ssa.Builtin); builtin {
				continue
			}
			callee := common.StaticCallee()
			if callee == nil {
				return false
			}
			if callee.Pkg == a.ssapkg {
				if !a.quietFunc(callee, skip, seen, depth+1) {
					return false
				}
				continue
			}
			if a.summaryOf(callee) != nil {
				return false
			}
		}
	}
	return true
}

// forkJoinWait reports a WaitGroup.Wait on a group local to fn whose
// every goroutine fn starts itself and which do nothing but work that
// cannot block and takes no lock (quietFunc) before Done: the wait is
// for computation, as in forkJoinRecv (render each page on its own
// goroutine under a read lock, then wait for all of them).
//
//	var wg sync.WaitGroup
//	for i, p := range pages { wg.Add(1); go func() { defer wg.Done(); out[i] = render(p) }() }
//	wg.Wait()
func (a *analyzer) forkJoinWait(fn *ssa.Function, call ssa.CallInstruction) bool {
	if a.inForkJoin || len(call.Common().Args) == 0 {
		return false
	}
	a.inForkJoin = true
	defer func() { a.inForkJoin = false }()
	wg, ok := call.Common().Args[0].(*ssa.Alloc)
	if !ok || wg.Parent() != fn {
		return false
	}
	workers := 0
	for _, r := range *wg.Referrers() {
		switch u := r.(type) {
		case *ssa.DebugRef:
		case ssa.CallInstruction:
			op := syncapi.Call(u.Common())
			if g, ok := u.(*ssa.Go); ok && op.Kind == syncapi.None {
				// go listen(&started): a start handshake when the
				// function counts itself done before anything else.
				callee := g.Call.StaticCallee()
				if callee == nil || callee.Pkg != a.ssapkg || !doneFirst(callee, paramFor(callee, g.Call.Args, wg)) {
					return false
				}
				workers++
				continue
			}
			if op.RecvArg(u.Common()) != ssa.Value(wg) {
				return false
			}
			switch op.Kind {
			case syncapi.WaitGroupAdd, syncapi.WaitGroupWait:
			case syncapi.WaitGroupGo:
				// wg.Go(f): f runs on the group's goroutine.
				if len(u.Common().Args) < 2 || !a.quietWorker(u.Common().Args[1], wg) {
					return false
				}
				workers++
			default:
				return false // a Done here, or the group handed on
			}
		case *ssa.MakeClosure:
			if !soleGo(u) || !a.groupWorker(u, wg) && !doneFirst(u.Fn.(*ssa.Function), freeVarFor(u, wg)) {
				return false
			}
			workers++
		default:
			return false
		}
	}
	return workers > 0
}

// doneFirst reports whether fn's first call, in its entry block, is
// Done on the WaitGroup v (a parameter or free variable of fn), with no
// channel operation before it: the
// goroutine counts itself done as soon as it runs, whatever it does
// next, so a Wait for it waits only for it to start.
func doneFirst(fn *ssa.Function, v ssa.Value) bool {
	if v == nil || len(fn.Blocks) == 0 {
		return false
	}
	for _, instr := range fn.Blocks[0].Instrs {
		switch x := instr.(type) {
		case *ssa.Send, *ssa.Select:
			return false
		case *ssa.UnOp:
			if x.Op == token.ARROW {
				return false
			}
		}
		c, ok := instr.(ssa.CallInstruction)
		if !ok {
			continue
		}
		op := syncapi.Call(c.Common())
		_, isCall := c.(*ssa.Call)
		return isCall && op.Kind == syncapi.WaitGroupDone && op.RecvArg(c.Common()) == v
	}
	return false
}

// paramFor returns the parameter of fn that receives v among args.
func paramFor(fn *ssa.Function, args []ssa.Value, v ssa.Value) ssa.Value {
	for i, a := range args {
		if a == v && i < len(fn.Params) {
			return fn.Params[i]
		}
	}
	return nil
}

// freeVarFor returns the free variable of mc's function bound to v.
func freeVarFor(mc *ssa.MakeClosure, v ssa.Value) ssa.Value {
	fn := mc.Fn.(*ssa.Function)
	for i, b := range mc.Bindings {
		if b == v && i < len(fn.FreeVars) {
			return fn.FreeVars[i]
		}
	}
	return nil
}

// quietWorker reports whether f, the function a WaitGroup.Go call runs,
// is a closure or function of the package that uses the group wg only
// to count itself done and otherwise is quiet.
func (a *analyzer) quietWorker(f ssa.Value, wg *ssa.Alloc) bool {
	switch x := f.(type) {
	case *ssa.MakeClosure:
		return a.groupWorker(x, wg)
	case *ssa.Function:
		return x.Pkg == a.ssapkg && len(x.Blocks) > 0 && a.quietFunc(x, nil, map[*ssa.Function]bool{}, 0)
	}
	return false
}

// groupWorker reports whether the closure mc, when it captures the group
// wg, only calls Done (or Add) on it, and whether its body is quiet.
func (a *analyzer) groupWorker(mc *ssa.MakeClosure, wg *ssa.Alloc) bool {
	body, ok := mc.Fn.(*ssa.Function)
	if !ok {
		return false
	}
	for i, b := range mc.Bindings {
		if b != ssa.Value(wg) {
			continue
		}
		if i >= len(body.FreeVars) {
			return false
		}
		for _, r := range *body.FreeVars[i].Referrers() {
			switch u := r.(type) {
			case *ssa.DebugRef:
			case ssa.CallInstruction:
				op := syncapi.Call(u.Common())
				if op.RecvArg(u.Common()) != ssa.Value(body.FreeVars[i]) || (op.Kind != syncapi.WaitGroupDone && op.Kind != syncapi.WaitGroupAdd) {
					return false
				}
			default:
				return false
			}
		}
	}
	return a.quietFunc(body, nil, map[*ssa.Function]bool{}, 0)
}
