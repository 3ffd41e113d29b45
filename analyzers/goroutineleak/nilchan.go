package goroutineleak

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// CatNil is the category of an operation on a channel that is always
// nil, and of a select whose every channel is.
const CatNil = "nil"

// nilChans finds the channels that are nil whenever an operation uses
// them: the constant nil (a channel variable never made), and the
// unexported channel fields that no code of the package assigns.
type nilChans struct {
	assigned map[*types.Var]bool // unexported chan fields stored or address-taken beyond loads
}

// checkNilChans reports sends, receives and range loops on a channel
// that is always nil, and selects without default whose every case is
// on one: each blocks for ever. A case on a nil channel inside a select
// that has others is the idiom for disabling the case, and is left
// alone.
func (c *checker) checkNilChans(funcs []*ssa.Function) {
	nc := nilChans{assigned: map[*types.Var]bool{}}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				if fa, ok := in.(*ssa.FieldAddr); ok {
					nc.noteField(fa)
				}
			}
		}
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				switch x := in.(type) {
				case *ssa.Send:
					if why := nc.alwaysNil(x.Chan); why != "" {
						c.reportNil(x.Pos(), "the send on "+why)
					} else if why := nilOnAPath(x.Chan, x); why != "" {
						c.reportNil(x.Pos(), "the send on "+why)
					}
				case *ssa.UnOp:
					if x.Op != token.ARROW {
						continue
					}
					if why := nc.alwaysNil(x.X); why != "" && !isNilConst(x.X) {
						// (A receive from a nil constant is an idiom for
						// blocking for ever, as select {} is.)
						what := "the receive from "
						if x.CommaOk && c.g.InLoop(b) {
							what = "the loop over "
						}
						c.reportNil(x.Pos(), what+why)
					} else if why := nilOnAPath(x.X, x); why != "" {
						what := "the receive from "
						if x.CommaOk && c.g.InLoop(b) {
							what = "the loop over "
						}
						c.reportNil(x.Pos(), what+why)
					}
				case *ssa.Select:
					if !x.Blocking || len(x.States) == 0 {
						continue // select {} blocks on purpose
					}
					all := true
					for _, st := range x.States {
						if nc.alwaysNil(st.Chan) == "" {
							all = false
							break
						}
					}
					if all {
						c.reportNil(x.Pos(), "the select, whose every case is on a nil channel,")
					}
				}
			}
		}
	}
}

func (c *checker) reportNil(pos token.Pos, what string) {
	c.report(analysis.Diagnostic{
		Pos:      pos,
		Category: CatNil,
		Message:  fmt.Sprintf("goroutine leak: %s blocks for ever", what),
	})
}

// noteField records a chan field as assigned when its address is used
// for anything but a load, or a load is compared with nil.
func (nc *nilChans) noteField(fa *ssa.FieldAddr) {
	f := ssax.FieldOf(fa)
	if f == nil {
		return
	}
	if _, ok := types.Unalias(f.Type()).Underlying().(*types.Chan); !ok {
		return
	}
	refs := fa.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		switch x := r.(type) {
		case *ssa.DebugRef:
		case *ssa.UnOp:
			if x.Op == token.MUL {
				if comparedToNil(x) {
					// Tested for nil: set by code this unit does not
					// hold (a test's hook), and used only when set.
					nc.assigned[f] = true
				}
				continue
			}
			nc.assigned[f] = true
		default:
			nc.assigned[f] = true
		}
	}
}

// alwaysNil returns how the channel v is always nil ("a nil channel",
// or "ch, a field that is never assigned,"), or "".
func (nc *nilChans) alwaysNil(v ssa.Value) string {
	switch x := v.(type) {
	case *ssa.Const:
		if x.IsNil() {
			return "a nil channel"
		}
	case *ssa.ChangeType:
		return nc.alwaysNil(x.X)
	case *ssa.FreeVar:
		// A channel variable captured by the literal, never made.
		if b := ssax.Captured(x); b != nil {
			if k, ok := b.(*ssa.Const); ok && k.IsNil() {
				return x.Name() + ", a channel never made,"
			}
			if _, ok := b.(*ssa.FreeVar); ok {
				return nc.alwaysNil(b)
			}
		}
	case *ssa.UnOp:
		if fv, ok := x.X.(*ssa.FreeVar); ok && x.Op == token.MUL {
			// A channel variable captured by reference: nil when the
			// variable is never assigned anything but nil.
			cell, ok := ssax.Captured(fv).(*ssa.Alloc)
			if !ok {
				return ""
			}
			vals, ok := ssax.Stores(cell)
			if !ok {
				return ""
			}
			for _, v := range vals {
				if k, ok := v.(*ssa.Const); !ok || !k.IsNil() {
					return ""
				}
			}
			return fv.Name() + ", a channel never made,"
		}
		fa, ok := x.X.(*ssa.FieldAddr)
		if x.Op != token.MUL || !ok {
			return ""
		}
		f := ssax.FieldOf(fa)
		if f == nil || f.Exported() || nc.assigned[f] || !namedStructField(fa) {
			return ""
		}
		return f.Name() + ", a field no code assigns,"
	}
	return ""
}

// isNilConst reports whether v is a constant: for a channel, nil.
func isNilConst(v ssa.Value) bool {
	for {
		switch x := v.(type) {
		case *ssa.Const:
			return true
		case *ssa.ChangeType:
			v = x.X
		default:
			return false
		}
	}
}

// comparedToNil reports whether the value v is compared with nil.
func comparedToNil(v ssa.Value) bool {
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		if b, ok := r.(*ssa.BinOp); ok && (b.Op == token.EQL || b.Op == token.NEQ) && (isNilConst(b.X) || isNilConst(b.Y)) {
			return true
		}
	}
	return false
}

// nilOnAPath returns how the channel v, used by op, is nil on some path
// that certainly reaches op ("ch, which is nil when the branch at
// file.go:12 skips its make,"), or "": v merges nil with one make (var
// ch chan T; if cond { ch = make(chan T) }), op runs in the block of
// that merge, so no later test can keep the nil path away from it, and
// nothing compares the merged value with nil.
func nilOnAPath(v ssa.Value, op ssa.Instruction) string {
	for {
		ct, ok := v.(*ssa.ChangeType)
		if !ok {
			break
		}
		v = ct.X
	}
	if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
		if a, ok := load.X.(*ssa.Alloc); ok && a.Parent() == op.Parent() {
			return nilCell(a, load)
		}
		if fv, ok := load.X.(*ssa.FreeVar); ok {
			// A variable of the enclosing function that the closure
			// captures: nil on a path to the closure's making, and not
			// set after it.
			if a, ok := ssax.Captured(fv).(*ssa.Alloc); ok {
				if mc := closureOf(fv); mc != nil && mc.Parent() == a.Parent() {
					return nilCell(a, mc)
				}
			}
		}
		return ""
	}
	phi, ok := v.(*ssa.Phi)
	if !ok || phi.Block() != op.Block() || comparedToNil(phi) {
		return ""
	}
	// One optional make: two edges, nil and a make. (Several makes on
	// the cases of a switch without default leave a nil path that the
	// values switched on usually rule out.)
	if len(phi.Edges) != 2 {
		return ""
	}
	nilEdge, makeEdge, word := false, false, ""
	for _, e := range phi.Edges {
		if k, ok := e.(*ssa.Const); ok && k.IsNil() {
			nilEdge = true
		} else if w := freshWord(e); w != "" {
			makeEdge, word = true, w
		}
	}
	if !nilEdge || !makeEdge {
		return ""
	}
	name := "the channel"
	if c := phi.Comment; c != "" {
		name = c
	}
	return name + ", which is nil on a path that skips its " + word + ","
}

// nilCell is nilOnAPath for a channel variable kept in a cell (one that
// closures capture): the variable starts nil, its one store puts a
// fresh channel in it, some path from its declaration reaches the load
// without passing a store, no closure stores to it, and no load of it is
// compared with nil.
func nilCell(a *ssa.Alloc, load ssa.Instruction) string {
	if a.Comment == "" {
		return ""
	}
	var stores []ssa.Instruction
	for _, r := range *a.Referrers() {
		switch x := r.(type) {
		case *ssa.Store:
			if x.Addr != a || !freshChan(x.Val) {
				return ""
			}
			stores = append(stores, x)
		case *ssa.UnOp:
			if x.Op != token.MUL || comparedToNil(x) {
				return ""
			}
		case *ssa.MakeClosure:
			for i, bv := range x.Bindings {
				if bv != a {
					continue
				}
				fn, ok := x.Fn.(*ssa.Function)
				if !ok || i >= len(fn.FreeVars) || !onlyLoaded(fn.FreeVars[i]) {
					return ""
				}
			}
		case *ssa.DebugRef:
		default:
			return ""
		}
	}
	if len(stores) != 1 {
		return "" // one optional make (see nilOnAPath)
	}
	isStore := func(in ssa.Instruction) bool {
		for _, s := range stores {
			if in == s {
				return true
			}
		}
		return false
	}
	for _, st := range stores {
		if st != load && ssax.RunsBefore(load, st) {
			return "" // set after the closure is made: it may see the channel
		}
	}
	if returnsAvoiding(a.Block(), load.Block()) {
		return "" // a later branch may keep the nil path from the load
	}
	start := ssax.IndexOf(a)
	if !ssax.ReachesAvoiding(a.Block(), start+1, func(in ssa.Instruction) bool { return in == load }, isStore) {
		return ""
	}
	return a.Comment + ", which is nil on a path that skips its " + freshWord(stores[0].(*ssa.Store).Val) + ","
}

// onlyLoaded reports whether a captured cell is only read in a closure
// and the closures it is passed on to, and never compared with nil.
func onlyLoaded(fv ssa.Value) bool {
	for _, r := range *fv.Referrers() {
		switch x := r.(type) {
		case *ssa.UnOp:
			if x.Op != token.MUL || comparedToNil(x) {
				return false
			}
		case *ssa.MakeClosure:
			for i, bv := range x.Bindings {
				if bv != fv {
					continue
				}
				fn, ok := x.Fn.(*ssa.Function)
				if !ok || i >= len(fn.FreeVars) || !onlyLoaded(fn.FreeVars[i]) {
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

// returnsAvoiding reports whether some path from block from returns
// without passing block avoid (paths that end in a panic aside).
func returnsAvoiding(from, avoid *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{}
	var walk func(b *ssa.BasicBlock) bool
	walk = func(b *ssa.BasicBlock) bool {
		if b == avoid || seen[b] {
			return false
		}
		seen[b] = true
		if len(b.Succs) == 0 {
			_, ret := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
			return ret
		}
		for _, s := range b.Succs {
			if walk(s) {
				return true
			}
		}
		return false
	}
	return walk(from)
}

// freshChan reports whether v is a channel that is never nil: made
// here, or returned by time.After.
func freshChan(v ssa.Value) bool { return freshWord(v) != "" }

// freshWord names how v, a channel that is never nil, was got ("make",
// "time.After call"), or "".
func freshWord(v ssa.Value) string {
	if ct, ok := v.(*ssa.ChangeType); ok {
		v = ct.X
	}
	switch x := v.(type) {
	case *ssa.MakeChan:
		return "make"
	case *ssa.Call:
		if f := x.Call.StaticCallee(); f != nil && f.Pkg != nil && f.Pkg.Pkg.Path() == "time" && f.Name() == "After" {
			return "time.After call"
		}
	}
	return ""
}

// closureOf returns the one MakeClosure that makes fv's function, or nil.
func closureOf(fv *ssa.FreeVar) *ssa.MakeClosure {
	refs := fv.Parent().Referrers()
	if refs == nil || len(*refs) != 1 {
		return nil
	}
	mc, _ := (*refs)[0].(*ssa.MakeClosure)
	return mc
}

// namedStructField reports whether fa selects a field of a named struct
// type. Each struct type literal declares fields of its own, so the
// same anonymous struct written twice (a slice element type and the
// composite literal that fills it) has two sets of fields: one's
// assignments say nothing about the other's by identity.
func namedStructField(fa *ssa.FieldAddr) bool {
	p, ok := types.Unalias(fa.X.Type()).Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	_, named := types.Unalias(p.Elem()).(*types.Named)
	return named
}
