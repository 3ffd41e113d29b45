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
	c.pass.Report(analysis.Diagnostic{
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
	case *ssa.UnOp:
		fa, ok := x.X.(*ssa.FieldAddr)
		if x.Op != token.MUL || !ok {
			return ""
		}
		f := ssax.FieldOf(fa)
		if f == nil || f.Exported() || nc.assigned[f] {
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
