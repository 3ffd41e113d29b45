package blocking

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/passes/lockset"
)

// sendCannotBlock reports whether send is provably never made on a full
// channel: the channel is created in view by make with a constant
// buffer, every use of it is visible (sends, receives, close, len, cap,
// closures that are called or started once), no send can run more than
// once per make, and the sends number no more than the buffer slots.
func (a *analyzer) sendCannotBlock(fn *ssa.Function, send *ssa.Send) bool {
	if a.largeBufferField(send.Chan) || a.freshFieldChan(send) || a.sendThenClose(send) ||
		a.onceFlagSend(fn, send) || a.answeredRequest(fn, send) || a.tokenReturn(send) || a.rangeSized(fn, send) || a.drainedSend(fn, send) || a.heldTokenSend(send) ||
		a.frameworkSink(fn, send) {
		return true
	}
	return a.roomyMake(send.Chan)
}

// roomyMake reports whether ch was made in view by make with a constant
// buffer, every use of it is visible, and its sends (plain ones and
// select arms, none repeated per make) number no more than the slots.
func (a *analyzer) roomyMake(ch ssa.Value) bool {
	mk := a.makeChanOf(ch)
	if mk == nil {
		return false
	}
	size, ok := mk.Size.(*ssa.Const)
	if !ok || size.Value == nil || size.Value.Kind() != constant.Int {
		return false
	}
	n, exact := constant.Int64Val(size.Value)
	if !exact || n <= 0 {
		return false
	}
	sends := 0
	okUses := a.countSends(mk, mk.Parent(), &sends, 0)
	return okUses && int64(sends) <= n
}

// roomySelectSend reports whether a send arm of sel targets a channel
// with room for all its sends (roomyMake): that arm can always proceed,
// so the select does not wait.
func (a *analyzer) roomySelectSend(sel *ssa.Select) bool {
	for _, st := range sel.States {
		if st.Dir == types.SendOnly && a.roomyMake(st.Chan) {
			return true
		}
	}
	return false
}

// makeChanOf follows conversions and closure bindings from a channel
// value back to the make that created it, or returns nil.
func (a *analyzer) makeChanOf(v ssa.Value) *ssa.MakeChan {
	for i := 0; i < 8; i++ {
		switch x := v.(type) {
		case *ssa.MakeChan:
			return x
		case *ssa.ChangeType:
			v = x.X
		case *ssa.UnOp:
			// A load of a variable that closures capture (its cell).
			if x.Op != token.MUL {
				return nil
			}
			v = x.X
		case *ssa.Alloc:
			// The cell of a captured variable: its one store, a make.
			mk := soleStoredMake(x)
			if mk == nil {
				return nil
			}
			return mk
		case *ssa.FreeVar:
			fn := x.Parent()
			idx := -1
			for i, fv := range fn.FreeVars {
				if fv == x {
					idx = i
				}
			}
			mc := soleMakeClosure(fn)
			if mc == nil || idx < 0 || idx >= len(mc.Bindings) {
				return nil
			}
			v = mc.Bindings[idx]
		default:
			return nil
		}
	}
	return nil
}

// soleStoredMake returns the make that the local cell a holds: its only
// store, with the cell's address going nowhere but into loads and
// closures that only load it (ssax.SoleStore); nil otherwise.
func soleStoredMake(a *ssa.Alloc) *ssa.MakeChan {
	mk, _ := ssax.SoleStore(a).(*ssa.MakeChan)
	return mk
}

// soleMakeClosure returns the one MakeClosure of an anonymous function.
func soleMakeClosure(fn *ssa.Function) *ssa.MakeClosure {
	p := fn.Parent()
	if p == nil {
		return nil
	}
	var found *ssa.MakeClosure
	for _, b := range p.Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn {
				if found != nil {
					return nil
				}
				found = mc
			}
		}
	}
	return found
}

// countSends walks the uses of channel value v in fn, adding its send
// sites to *sends, and reports whether every use is understood and no
// send may run more than once.
func (a *analyzer) countSends(v ssa.Value, fn *ssa.Function, sends *int, depth int) bool {
	if depth > 4 {
		return false
	}
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		switch u := r.(type) {
		case *ssa.Send:
			if u.Chan != v || a.inLoop(fn, u.Block()) {
				return false
			}
			*sends++
		case *ssa.UnOp: // receive
		case *ssa.ChangeType:
			if !a.countSends(u, fn, sends, depth+1) {
				return false
			}
		case *ssa.Select:
			for _, st := range u.States {
				if st.Send != nil && st.Chan == v {
					if a.inLoop(fn, u.Block()) {
						return false
					}
					*sends++
				}
				if st.Send == v {
					return false // the channel itself is sent
				}
			}
		case *ssa.Call:
			if !chanBuiltin(u) {
				return false
			}
		case *ssa.MakeClosure:
			if u.Fn == v {
				return false
			}
			// The closure must be created outside loops and used only
			// as the callee of one call, go or defer.
			if a.inLoop(fn, u.Block()) || !calledOnce(u) {
				return false
			}
			cl := u.Fn.(*ssa.Function)
			for i, bv := range u.Bindings {
				if bv == v && i < len(cl.FreeVars) {
					if !a.countSends(cl.FreeVars[i], cl, sends, depth+1) {
						return false
					}
				}
			}
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}

// calledOnce reports whether a closure value is used only as the
// function of a single call, go or defer instruction.
func calledOnce(mc *ssa.MakeClosure) bool {
	refs := mc.Referrers()
	if refs == nil || len(*refs) != 1 {
		return false
	}
	switch u := (*refs)[0].(type) {
	case ssa.CallInstruction:
		c := u.Common()
		if c.Value != mc {
			return false
		}
		for _, arg := range c.Args {
			if arg == mc {
				return false
			}
		}
		return true
	}
	return false
}

// inLoop reports whether b lies on a cycle of fn's control-flow graph.
func (a *analyzer) inLoop(fn *ssa.Function, b *ssa.BasicBlock) bool {
	m := a.loops[fn]
	if m == nil {
		m = lockset.LoopBlocks(fn)
		a.loops[fn] = m
	}
	return m[b]
}

// largeBuffer is the capacity from which a channel kept in a struct
// field is taken to be sized never to fill (database/sql's openerCh
// holds a million requests): a send on it is not counted as blocking.
const largeBuffer = 1024

// largeBufferField reports whether ch is loaded from an unexported field
// of a struct type of this package to which every store in the package
// is a make with a constant capacity of at least largeBuffer.
func (a *analyzer) largeBufferField(ch ssa.Value) bool {
	key := fieldKey(ch)
	if key == nil {
		return false
	}
	if a.fieldCaps == nil {
		a.fieldCaps = a.scanFieldCaps()
	}
	return a.fieldCaps[*key] >= largeBuffer
}

type fieldRef struct {
	owner *types.Named
	index int
}

// fieldKey returns the field a channel value is loaded from, if it is an
// unexported field of a named struct of the analysed package.
func fieldKey(v ssa.Value) *fieldRef {
	fa := ssax.FieldAddrOf(v)
	if fa == nil {
		return nil
	}
	return fieldAddrKey(fa)
}

// scanFieldCaps returns, for each channel field of this package's types
// that the package stores to, the smallest constant capacity stored (0
// when some store is not a make with a constant capacity). It also
// notes in a.prefilled the fields one of whose makes is filled to its
// capacity before it is stored (see filledBefore).
func (a *analyzer) scanFieldCaps() map[fieldRef]int64 {
	caps := map[fieldRef]int64{}
	a.prefilled = map[fieldRef]bool{}
	for _, fn := range a.fns {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				key := fieldKey(st.Addr)
				if key == nil || key.owner.Obj().Pkg() != a.pass.Pkg {
					continue
				}
				if _, isChan := st.Val.Type().Underlying().(*types.Chan); !isChan {
					continue
				}
				var n int64
				if mk, ok := st.Val.(*ssa.MakeChan); ok {
					n = a.constSize(mk.Size)
					if n > 0 && filledBefore(mk, st) >= n {
						a.prefilled[*key] = true
					}
				}
				if old, seen := caps[*key]; !seen || n < old {
					caps[*key] = n
				}
			}
		}
	}
	return caps
}

// fieldOf returns the address base and field index a channel value is
// loaded from (ch = *&x.f), or nil.
func fieldOf(ch ssa.Value) *ssa.FieldAddr {
	for {
		ct, ok := ch.(*ssa.ChangeType)
		if !ok {
			break
		}
		ch = ct.X
	}
	load, ok := ch.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return nil
	}
	fa, _ := load.X.(*ssa.FieldAddr)
	return fa
}

// sameField reports whether two field addresses denote the same field of
// the same SSA base value.
func sameField(a, b *ssa.FieldAddr) bool {
	return a != nil && b != nil && a.X == b.X && a.Field == b.Field
}

// quiet reports whether instr cannot send on or replace a channel behind
// our back: no calls other than builtins, no sends, no goroutines.
func quiet(instr ssa.Instruction) bool {
	switch x := instr.(type) {
	case *ssa.Call:
		_, builtin := x.Call.Value.(*ssa.Builtin)
		return builtin
	case *ssa.Send, *ssa.Select, *ssa.Go, *ssa.Defer, *ssa.RunDefers:
		return false
	}
	return true
}

// freshFieldChan reports a send that is the first use of a channel just
// made with a constant buffer and stored in a field on the way here:
//
//	w.ch = make(chan bool, 1)
//	if w.triggered {
//		w.ch <- true
//	}
func (a *analyzer) freshFieldChan(send *ssa.Send) bool {
	fa := fieldOf(send.Chan)
	if fa == nil {
		return false
	}
	b := send.Block()
	idx := -1
	for i, in := range b.Instrs {
		if in == send {
			idx = i
		}
	}
	for steps := 0; b != nil && steps < 64; steps++ {
		for i := idx - 1; i >= 0; i-- {
			in := b.Instrs[i]
			if st, ok := in.(*ssa.Store); ok {
				if sfa, ok := st.Addr.(*ssa.FieldAddr); ok && sameField(sfa, fa) {
					mk, ok := st.Val.(*ssa.MakeChan)
					if !ok {
						return false
					}
					k, ok := mk.Size.(*ssa.Const)
					if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
						return false
					}
					n, exact := constant.Int64Val(k.Value)
					return exact && n >= 1
				}
			}
			if !quiet(in) {
				return false
			}
		}
		if len(b.Preds) != 1 {
			return false
		}
		b = b.Preds[0]
		idx = len(b.Instrs)
	}
	return false
}

// sendThenClose reports a send immediately followed by close of the same
// field channel, whose every make in the package has a buffer: a channel
// closed right after its send receives that one value only, so the
// buffer always has room (net/http's wantConn.tryDeliver).
func (a *analyzer) sendThenClose(send *ssa.Send) bool {
	fa := fieldOf(send.Chan)
	if fa == nil {
		return false
	}
	key := fieldKey(send.Chan)
	if key == nil {
		return false
	}
	if a.fieldCaps == nil {
		a.fieldCaps = a.scanFieldCaps()
	}
	if a.fieldCaps[*key] < 1 {
		return false
	}
	b := send.Block()
	after := false
	for _, in := range b.Instrs {
		if in == send {
			after = true
			continue
		}
		if !after {
			continue
		}
		if call, ok := in.(*ssa.Call); ok {
			if bi, ok := call.Call.Value.(*ssa.Builtin); ok && bi.Name() == "close" && len(call.Call.Args) == 1 {
				return sameField(fieldOf(call.Call.Args[0]), fa)
			}
		}
		if !quiet(in) {
			return false
		}
	}
	return false
}

// recvAfterOwnSend reports a receive from a channel made in the same
// function with a constant buffer, used only there (no closures, no
// loops, never passed on), where the sends that run before the receive
// on every path outnumber the other receives that may run before it: a
// value is waiting by the time it runs.
//
//	ch := make(chan int, 1)
//	ch <- len(q)
//	return <-ch
func (a *analyzer) recvAfterOwnSend(fn *ssa.Function, recv *ssa.UnOp) bool {
	mk, ok := ssax.Unwrap(recv.X, ssax.WrapChangeType).(*ssa.MakeChan)
	if !ok || mk.Parent() != fn {
		return false
	}
	k, ok := mk.Size.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
		return false
	}
	if n, exact := constant.Int64Val(k.Value); !exact || n < 1 {
		return false
	}
	var sends, recvs []ssa.Instruction
	var walk func(v ssa.Value, depth int) bool
	walk = func(v ssa.Value, depth int) bool {
		refs := v.Referrers()
		if refs == nil || depth > 4 {
			return false
		}
		for _, r := range *refs {
			switch u := r.(type) {
			case *ssa.Send:
				if u.Chan != v || a.inLoop(fn, u.Block()) {
					return false
				}
				sends = append(sends, u)
			case *ssa.UnOp:
				if u.Op != token.ARROW || a.inLoop(fn, u.Block()) {
					return false
				}
				recvs = append(recvs, u)
			case *ssa.ChangeType:
				if !walk(u, depth+1) {
					return false
				}
			case *ssa.Call:
				if !chanBuiltin(u) {
					return false
				}
			case *ssa.DebugRef:
			default:
				return false
			}
		}
		return true
	}
	if !walk(mk, 0) {
		return false
	}
	filled := 0
	for _, s := range sends {
		if ssax.Dominates(s, recv) {
			filled++
		}
	}
	for _, r := range recvs {
		if r != ssa.Instruction(recv) && mayPrecede(r, recv) {
			filled--
		}
	}
	return filled >= 1
}

// mayPrecede reports whether x may run before y on some path.
func mayPrecede(x, y ssa.Instruction) bool {
	bx, by := x.Block(), y.Block()
	if bx == by {
		return ssax.Dominates(x, y)
	}
	seen := map[*ssa.BasicBlock]bool{bx: true}
	work := []*ssa.BasicBlock{bx}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		for _, s := range b.Succs {
			if s == by {
				return true
			}
			if !seen[s] {
				seen[s] = true
				work = append(work, s)
			}
		}
	}
	return false
}

// chanBuiltin reports whether call is close, len or cap of a channel:
// uses of a channel that neither send, receive nor let it escape.
func chanBuiltin(call *ssa.Call) bool {
	b, ok := call.Call.Value.(*ssa.Builtin)
	if !ok {
		return false
	}
	switch b.Name() {
	case "close", "len", "cap":
		return true
	}
	return false
}

// bufferedSend reports a send on a channel that every make in view gives
// a constant buffer of at least one slot, made at most once per slot in
// the sending function: outside loops, with no more send sites on the
// same channel than slots. Such a send blocks only while the buffer is
// full, that is while its receiver lags: back-pressure, which is not
// counted against the sender's callers. Whether the receiver itself
// needs a lock the sender holds is the lock-holding analyzer's question
// (Op.Buffered). A send in a loop (a broadcast to subscribers) may fill
// any buffer and stays a blocking send.
func (a *analyzer) bufferedSend(fn *ssa.Function, send *ssa.Send) bool {
	size := a.bufferOf(send.Chan)
	if size <= 0 {
		return false
	}
	if key := fieldKey(send.Chan); key != nil && a.prefilled[*key] {
		return false // the buffer may be full before this send
	}
	if takenFromMap(fn, ssax.Unwrap(send.Chan, ssax.WrapChangeType)) {
		// A pending entry's reply channel, removed from the map before
		// the send: no later iteration or caller finds it again.
		return true
	}
	if a.inLoop(fn, send.Block()) {
		return false
	}
	n, ok := a.sendsOnPath(fn, ssax.Unwrap(send.Chan, ssax.WrapChangeType))
	return ok && n <= size
}

// sendsOnPath returns the most sends on ch that one run of fn makes:
// sends on branches that exclude each other count once (an error reply
// and a result reply, each followed by a return). ok is false when a
// send on ch sits in a loop.
func (a *analyzer) sendsOnPath(fn *ssa.Function, ch ssa.Value) (int64, bool) {
	count := make([]int64, len(fn.Blocks))
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if s, ok := instr.(*ssa.Send); ok && ssax.SameLocation(ssax.Unwrap(s.Chan, ssax.WrapChangeType), ch) {
				if a.inLoop(fn, b) {
					return 0, false
				}
				count[b.Index]++
			}
		}
	}
	// Longest path in sends over the graph without back edges: a loop
	// holds no send on ch, so going round it adds nothing.
	memo := make([]int64, len(fn.Blocks))
	state := make([]uint8, len(fn.Blocks)) // 1 on the current path, 2 done
	var most func(b *ssa.BasicBlock) int64
	most = func(b *ssa.BasicBlock) int64 {
		if state[b.Index] == 2 {
			return memo[b.Index]
		}
		state[b.Index] = 1
		var best int64
		for _, s := range b.Succs {
			if state[s.Index] == 1 {
				continue // a back edge
			}
			best = max(best, most(s))
		}
		state[b.Index] = 2
		memo[b.Index] = best + count[b.Index]
		return memo[b.Index]
	}
	if len(fn.Blocks) == 0 {
		return 0, true
	}
	n := most(fn.Blocks[0])
	if fn.Recover != nil && state[fn.Recover.Index] != 2 {
		n = max(n, most(fn.Recover))
	}
	return n, true
}

// bufferOf returns the constant buffer of the channel ch is, when known:
// made in view with a constant size, or loaded from an unexported field
// of this package's types to which every store is such a make. It
// returns 0 otherwise.
func (a *analyzer) bufferOf(ch ssa.Value) int64 {
	if mk := a.makeChanOf(ch); mk != nil {
		return a.constSize(mk.Size)
	}
	key := fieldKey(ch)
	if key == nil || key.owner.Obj().Pkg() != a.pass.Pkg {
		return 0
	}
	if a.fieldCaps == nil {
		a.fieldCaps = a.scanFieldCaps()
	}
	return a.fieldCaps[*key]
}

// filledBefore counts the sends on the channel mk makes that run on
// every path before st stores it: values put in the buffer when the
// channel is made (a notify channel primed with the initial state),
// which leave that many fewer slots for later sends.
func filledBefore(mk *ssa.MakeChan, st *ssa.Store) int64 {
	n := int64(0)
	for _, r := range *mk.Referrers() {
		s, ok := r.(*ssa.Send)
		if !ok || s.Chan != mk || s.Parent() != st.Parent() {
			continue
		}
		if s.Block() == st.Block() {
			if instrIndex(s) < instrIndex(st) {
				n++
			}
			continue
		}
		if s.Block().Dominates(st.Block()) {
			n++
		}
	}
	return n
}

// tokenRelease reports a receive that gives back a token of a channel
// used as a mutex: every make stored into the (unexported) field has a
// buffer of exactly one, and some function of the package sends on the
// field and then, on a path after that send, receives from it (takes
// the token, then returns it). The receive's value is unused. Such a
// receive runs where the token was taken, here or in the method that
// ends the critical section (a transaction's Commit), and never waits:
// the token is in the buffer.
func (a *analyzer) tokenRelease(recv *ssa.UnOp) bool {
	if recv.CommaOk || ssax.HasUses(recv) {
		return false
	}
	key := fieldKey(recv.X)
	if key == nil || key.owner.Obj().Pkg() != a.pass.Pkg {
		return false
	}
	if a.fieldCaps == nil {
		a.fieldCaps = a.scanFieldCaps()
	}
	if a.fieldCaps[*key] != 1 || a.prefilled[*key] {
		return false
	}
	if a.mutexChans == nil {
		a.mutexChans = a.scanMutexChans()
	}
	return a.mutexChans[*key]
}

// scanMutexChans finds the channel fields that some function sends on
// and then receives from, the value dropped: acquire and release.
func (a *analyzer) scanMutexChans() map[fieldRef]bool {
	out := map[fieldRef]bool{}
	for _, fn := range a.fns {
		var sends []ssa.Instruction
		var keys []fieldRef
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				var ch ssa.Value
				switch x := instr.(type) {
				case *ssa.Send:
					ch = x.Chan
				case *ssa.Select:
					for _, st := range x.States {
						if st.Dir == types.SendOnly && len(x.States) > 0 {
							if k := fieldKey(st.Chan); k != nil {
								sends, keys = append(sends, x), append(keys, *k)
							}
						}
					}
					continue
				default:
					continue
				}
				if k := fieldKey(ch); k != nil {
					sends, keys = append(sends, instr), append(keys, *k)
				}
			}
		}
		if len(sends) == 0 {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				u, ok := instr.(*ssa.UnOp)
				if !ok || u.Op != token.ARROW || u.CommaOk || ssax.HasUses(u) {
					continue
				}
				k := fieldKey(u.X)
				if k == nil {
					continue
				}
				for i, s := range sends {
					if keys[i] == *k && ssax.RunsBefore(s, u) {
						out[*k] = true
					}
				}
			}
		}
	}
	return out
}

// frameworkSink reports a send on a send-only channel that fn, a method
// implementing an interface of a package this one imports, is handed
// as a parameter: the framework that calls it receives as it sends
// (prometheus' Collect(ch chan<- Metric) and Describe), in code that
// cannot need this package's locks.
func (a *analyzer) frameworkSink(fn *ssa.Function, send *ssa.Send) bool {
	sig := fn.Signature
	if sig.Recv() == nil || !ast.IsExported(fn.Name()) || fn.Parent() != nil {
		return false
	}
	i := directParam(fn, send.Chan)
	if i < 1 {
		return false
	}
	ch, ok := fn.Params[i].Type().Underlying().(*types.Chan)
	if !ok || ch.Dir() != types.SendOnly {
		return false
	}
	if v, ok := a.sinks[fn]; ok {
		return v
	}
	v := implementsImported(a.pass.Pkg, sig.Recv().Type(), fn.Name())
	if a.sinks == nil {
		a.sinks = map[*ssa.Function]bool{}
	}
	a.sinks[fn] = v
	return v
}

// implementsImported reports whether recv implements an interface,
// declared in a package that pkg imports, that has a method name.
func implementsImported(pkg *types.Package, recv types.Type, name string) bool {
	for _, imp := range pkg.Imports() {
		scope := imp.Scope()
		for _, n := range scope.Names() {
			tn, ok := scope.Lookup(n).(*types.TypeName)
			if !ok || !tn.Exported() {
				continue
			}
			iface, ok := tn.Type().Underlying().(*types.Interface)
			if !ok || iface.Empty() {
				continue
			}
			has := false
			for j := 0; j < iface.NumMethods(); j++ {
				if iface.Method(j).Name() == name {
					has = true
				}
			}
			if has && types.Implements(recv, iface) {
				return true
			}
		}
	}
	return false
}
