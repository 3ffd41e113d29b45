// Capacities of channels made with sizes that are not literal constants:
// package constants and variables, and fields that are always positive.

package blocking

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// constSize returns a channel capacity known at compile time: a
// constant, or an unexported package variable that only its declaration
// sets, to a constant (var queueSize = 1000000). It returns 0 otherwise.
func (a *analyzer) constSize(v ssa.Value) int64 {
	if k, ok := v.(*ssa.Const); ok {
		if k.Value != nil && k.Value.Kind() == constant.Int {
			n, _ := constant.Int64Val(k.Value)
			return n
		}
		return 0
	}
	if c, ok := v.(*ssa.Convert); ok {
		return a.constSize(c.X)
	}
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return 0
	}
	if key := fieldKey(load); key != nil {
		return a.fieldFloor(*key)
	}
	g, ok := load.X.(*ssa.Global)
	if !ok || g.Pkg == nil || g.Pkg.Pkg != a.pass.Pkg || g.Object() == nil || g.Object().Exported() || a.ssapkg == nil {
		return 0
	}
	if a.globalConsts == nil {
		a.globalConsts = map[*ssa.Global]int64{}
	}
	if n, ok := a.globalConsts[g]; ok {
		return n
	}
	n := a.scanGlobalConst(g)
	a.globalConsts[g] = n
	return n
}

// scanGlobalConst returns the constant that the package initializer
// stores into g, when that is g's only store and g's address goes
// nowhere else; 0 otherwise.
func (a *analyzer) scanGlobalConst(g *ssa.Global) int64 {
	var val int64
	stores := 0
	check := func(fn *ssa.Function, init bool) bool {
		var ops []*ssa.Value
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if st, ok := instr.(*ssa.Store); ok && st.Addr == g {
					k, ok := st.Val.(*ssa.Const)
					if !init || !ok || k.Value == nil || k.Value.Kind() != constant.Int {
						return false
					}
					val, _ = constant.Int64Val(k.Value)
					stores++
					continue
				}
				if u, ok := instr.(*ssa.UnOp); ok && u.Op == token.MUL && u.X == g {
					continue
				}
				for _, op := range instr.Operands(ops[:0]) {
					if op != nil && *op == g {
						return false // address taken
					}
				}
			}
		}
		return true
	}
	init := a.ssapkg.Func("init")
	if init == nil || !check(init, true) {
		return 0
	}
	for _, fn := range a.fns {
		if !check(fn, false) {
			return 0
		}
	}
	if stores != 1 {
		return 0
	}
	return val
}

// fieldFloor returns the least value that the package ever stores in an
// unexported integer field: a constant, or 1 for a value stored only
// where a check that it is positive holds (n := 1024; if m > 0 { n = m }).
// It returns 0 when some store is neither.
func (a *analyzer) fieldFloor(key fieldRef) int64 {
	if n, ok := a.floors[key]; ok {
		return n
	}
	if a.floors == nil {
		a.floors = map[fieldRef]int64{}
	}
	a.floors[key] = 0 // a store of the field itself, while it is scanned
	floor := int64(-1)
	for _, fn := range a.fns {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				if k := fieldAddrKeyOf(st.Addr); k == nil || *k != key {
					continue
				}
				n := a.constSize(st.Val)
				if n <= 0 && positiveAt(st, st.Val) {
					n = 1
				}
				if floor < 0 || n < floor {
					floor = n
				}
			}
		}
	}
	floor = max(floor, 0)
	a.floors[key] = floor
	return floor
}

// fieldAddrKeyOf returns the field an address selects, if it is an
// unexported field of a named struct of the analysed package.
func fieldAddrKeyOf(addr ssa.Value) *fieldRef {
	fa, ok := addr.(*ssa.FieldAddr)
	if !ok {
		return nil
	}
	return fieldAddrKey(fa)
}

// positiveAt reports whether instr runs only where v > 0 (or v >= 1)
// holds: in the true branch of such a test.
func positiveAt(instr ssa.Instruction, v ssa.Value) bool {
	if c, ok := v.(*ssa.Convert); ok {
		v = c.X
	}
	for d := instr.Block().Idom(); d != nil; d = d.Idom() {
		if len(d.Instrs) == 0 || len(d.Succs) != 2 {
			continue
		}
		iff, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok || !d.Succs[0].Dominates(instr.Block()) || d.Succs[1].Dominates(instr.Block()) {
			continue
		}
		cond, ok := iff.Cond.(*ssa.BinOp)
		if !ok {
			continue
		}
		switch {
		case cond.Op == token.GTR && ssax.SameLocation(cond.X, v) && isIntConst(cond.Y, 0),
			cond.Op == token.GEQ && ssax.SameLocation(cond.X, v) && isIntConst(cond.Y, 1),
			cond.Op == token.LSS && isIntConst(cond.X, 0) && ssax.SameLocation(cond.Y, v):
			return true
		}
	}
	return false
}

// isIntConst reports whether v is the integer constant n.
func isIntConst(v ssa.Value, n int64) bool {
	k, ok := v.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
		return false
	}
	m, exact := constant.Int64Val(k.Value)
	return exact && m == n
}

// rangeSized reports a send that cannot fill its channel because the
// channel is made in the same function with room for one value per
// element of what a loop ranges over, and this send, its only one, runs
// once per iteration of that loop (a result channel filled from a slice
// under a lock and handed back for reading):
//
//	ch := make(chan T, len(s.items))
//	for _, it := range s.items { ch <- it }
//
// The channel may also sit in a field of an object the function
// allocated and has not yet let out, sent on nowhere else in the
// function (a ring of free slots filled by its constructor):
//
//	r := &ring{free: make(chan slot, size)}
//	for range size { r.free <- slot{} }
func (a *analyzer) rangeSized(fn *ssa.Function, send *ssa.Send) bool {
	mk, ok := ssax.Unwrap(send.Chan, ssax.WrapChangeType).(*ssa.MakeChan)
	if ok && (mk.Parent() != fn || !soleSend(mk, send, 0) && !soleBeforePublish(mk, send)) {
		return false
	}
	if !ok {
		if mk = unpublishedFieldChan(fn, send); mk == nil {
			return false
		}
	}
	size := mk.Size
	if c, ok := size.(*ssa.Convert); ok {
		size = c.X
	}
	// The nearest loop header above the send must test its index
	// against the same length; no other loop may enclose the send
	// below it (its header would dominate the send).
	for b := send.Block(); b != nil; b = b.Idom() {
		if !loopHeader(b) {
			continue
		}
		if len(b.Instrs) == 0 {
			return false
		}
		iff, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok || !b.Succs[0].Dominates(send.Block()) {
			return false
		}
		if m := rangedMap(iff.Cond); m != nil {
			// for k, v := range m: one round per entry.
			l, ok := size.(*ssa.Call)
			return ok && isLen(l) && ssax.SameLocation(l.Call.Args[0], m)
		}
		cond, ok := iff.Cond.(*ssa.BinOp)
		return ok && cond.Op == token.LSS && atLeast(size, cond.Y)
	}
	return false
}

// atLeast reports whether the capacity size is at least the count n:
// the same count, or max of it and other values (make(chan T,
// max(len(s), 16))), or constants no smaller (make(chan T, 5) filled
// by for range 4).
func atLeast(size, n ssa.Value) bool {
	if sameLength(n, size) {
		return true
	}
	if ks, ok := size.(*ssa.Const); ok && ks.Value != nil && ks.Value.Kind() == constant.Int {
		if kn, ok := n.(*ssa.Const); ok && kn.Value != nil && kn.Value.Kind() == constant.Int {
			return constant.Compare(ks.Value, token.GEQ, kn.Value)
		}
	}
	c, ok := size.(*ssa.Call)
	if !ok {
		return false
	}
	b, ok := c.Call.Value.(*ssa.Builtin)
	if !ok || b.Name() != "max" {
		return false
	}
	for _, a := range c.Call.Args {
		if sameLength(n, a) {
			return true
		}
	}
	return false
}

// rangedMap returns the map that a range loop's test walks (the ok of
// its Next), or nil.
func rangedMap(cond ssa.Value) ssa.Value {
	ex, ok := cond.(*ssa.Extract)
	if !ok || ex.Index != 0 {
		return nil
	}
	next, ok := ex.Tuple.(*ssa.Next)
	if !ok || next.IsString {
		return nil
	}
	r, ok := next.Iter.(*ssa.Range)
	if !ok {
		return nil
	}
	return r.X
}

// unpublishedFieldChan returns the channel that send sends on when it is
// loaded from a field of an object fn allocated and has not let out
// when send runs, the field's only store in fn is of a channel made
// in fn, and send is fn's only send on that field.
func unpublishedFieldChan(fn *ssa.Function, send *ssa.Send) *ssa.MakeChan {
	fa := ssax.FieldAddrOf(send.Chan)
	if fa == nil {
		return nil
	}
	obj, ok := fa.X.(*ssa.Alloc)
	if !ok || obj.Parent() != fn || !ssax.Unpublished(obj, send) {
		return nil
	}
	var stores []*ssa.Store
	for _, r := range *obj.Referrers() {
		f, ok := r.(*ssa.FieldAddr)
		if !ok || f.Field != fa.Field {
			continue
		}
		for _, u := range *f.Referrers() {
			switch u := u.(type) {
			case *ssa.Store:
				if _, ok := ssax.Unwrap(u.Val, ssax.WrapChangeType).(*ssa.MakeChan); !ok || u.Addr != f {
					return nil
				}
				stores = append(stores, u)
			case *ssa.UnOp:
				if u.Op != token.MUL {
					return nil
				}
				for _, v := range *u.Referrers() {
					switch v := v.(type) {
					case *ssa.Send:
						if v != send {
							return nil
						}
					case *ssa.UnOp:
						if v.Op != token.ARROW {
							return nil
						}
					case *ssa.Call:
						if !chanBuiltin(v) {
							return nil
						}
					case *ssa.DebugRef:
					default:
						return nil // the channel goes elsewhere
					}
				}
			case *ssa.DebugRef:
			default:
				return nil
			}
		}
	}
	// The channel the send sees: made by the store that runs before it
	// on every path, with no other store of the field in between (one
	// make per branch of an if, the send in one of them).
	var mk *ssa.MakeChan
	for _, st := range stores {
		if !ssax.Dominates(st, send) {
			continue
		}
		between := false
		for _, o := range stores {
			if o != st && ssax.RunsBefore(st, o) && ssax.RunsBefore(o, send) {
				between = true
			}
		}
		if !between {
			mk = ssax.Unwrap(st.Val, ssax.WrapChangeType).(*ssa.MakeChan)
		}
	}
	if mk == nil || mk.Parent() != fn {
		return nil
	}
	for _, r := range *mk.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			if f, ok := r.Addr.(*ssa.FieldAddr); !ok || f.X != obj || f.Field != fa.Field {
				return nil
			}
		case *ssa.DebugRef:
		default:
			return nil // the channel also goes elsewhere
		}
	}
	return mk
}

// soleBeforePublish reports whether send is fn's only send on the
// channel mk, and fn lets the channel out (stores it, hands it to a call
// or a goroutine) only after send can last run: until then no other
// code can send on it (Subscribe filling a new listener's buffer with
// the current alerts before it registers the listener for later ones).
func soleBeforePublish(mk *ssa.MakeChan, send *ssa.Send) bool {
	var points []ssa.Instruction
	var walk func(v ssa.Value, depth int) bool
	walk = func(v ssa.Value, depth int) bool {
		if depth > 4 || v.Referrers() == nil {
			return depth <= 4
		}
		for _, r := range *v.Referrers() {
			switch u := r.(type) {
			case *ssa.Send:
				if u.X == v {
					points = append(points, u) // the channel itself sent
				} else if u != send {
					return false
				}
			case *ssa.UnOp:
				if u.Op != token.ARROW {
					points = append(points, u)
				}
			case *ssa.Call:
				if !chanBuiltin(u) {
					points = append(points, u)
				}
			case *ssa.ChangeType:
				if !walk(u, depth+1) {
					return false
				}
			case *ssa.DebugRef:
			default:
				points = append(points, r) // stored, captured, merged, …
			}
		}
		return true
	}
	return walk(mk, 0) && ssax.NoneBefore(points, send)
}

// loopHeader reports whether some predecessor of b is dominated by b:
// b is the header of a loop.
func loopHeader(b *ssa.BasicBlock) bool {
	for _, p := range b.Preds {
		if b.Dominates(p) {
			return true
		}
	}
	return false
}

// sameLength reports whether x and y are the same count: one value, or
// len of the same location.
func sameLength(x, y ssa.Value) bool {
	if ssax.SameLocation(x, y) {
		return true
	}
	lx, okx := x.(*ssa.Call)
	ly, oky := y.(*ssa.Call)
	if !okx || !oky || !isLen(lx) || !isLen(ly) {
		return false
	}
	return ssax.SameLocation(lx.Call.Args[0], ly.Call.Args[0])
}

func isLen(c *ssa.Call) bool {
	b, ok := c.Call.Value.(*ssa.Builtin)
	return ok && b.Name() == "len" && len(c.Call.Args) == 1
}

// soleSend reports whether send is the only send on v, a channel value,
// and the channel's other uses can add none: receives, close, len, cap,
// and conversions, to a receive-only channel among them.
func soleSend(v ssa.Value, send *ssa.Send, depth int) bool {
	if depth > 4 {
		return false
	}
	if ch, ok := v.Type().Underlying().(*types.Chan); ok && ch.Dir() == types.RecvOnly {
		return true // no send can go through it
	}
	for _, r := range *v.Referrers() {
		switch u := r.(type) {
		case *ssa.Send:
			if u != send || u.X == v {
				return false
			}
		case *ssa.UnOp:
			if u.Op != token.ARROW {
				return false
			}
		case *ssa.ChangeType, *ssa.Phi:
			// A conversion, or the variable that holds this channel or
			// another made on a path that does not pass send.
			if !soleSend(u.(ssa.Value), send, depth+1) {
				return false
			}
		case *ssa.Call:
			if !chanBuiltin(u) || u.Call.Value == v {
				return false
			}
		case *ssa.DebugRef:
		default:
			return false
		}
	}
	return true
}
