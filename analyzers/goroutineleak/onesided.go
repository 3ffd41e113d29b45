package goroutineleak

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// CatOneSided is the category of an operation on a channel field that
// the package only ever sends on, or only ever receives from.
const CatOneSided = "one-sided"

// fieldChan is what the package does with one unexported channel field.
type fieldChan struct {
	f          *types.Var
	made       int  // stores of a make
	unbuffered bool // every make is unbuffered
	unknown    bool // a use this check does not follow: stored from elsewhere, address taken, passed on
	sends      []ssa.Instruction
	recvs      []ssa.Instruction
	selSends   int // cases of selects that send or receive on it
	selRecvs   int
	closes     int
}

// checkOneSided reports the plain sends on an unexported channel field
// that the package makes unbuffered and never receives from, and the
// plain receives from one that the package never sends on or closes:
// no code outside the package can reach the field, so each blocks for
// ever. A field whose value goes anywhere else (a variable, a call, a
// result) is left alone, as is a case of a select, which may take
// another case.
func (c *checker) checkOneSided(funcs []*ssa.Function) {
	fields := map[*types.Var]*fieldChan{}
	var order []*fieldChan
	get := func(f *types.Var) *fieldChan {
		if f == nil || f.Exported() || f.Pkg() != c.pass.Pkg {
			return nil
		}
		if _, ok := types.Unalias(f.Type()).Underlying().(*types.Chan); !ok {
			return nil
		}
		fc := fields[f]
		if fc == nil {
			fc = &fieldChan{f: f, unbuffered: true}
			fields[f] = fc
			order = append(order, fc)
		}
		return fc
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				switch x := in.(type) {
				case *ssa.FieldAddr:
					if fc := get(fieldOf(x.X.Type(), x.Field)); fc != nil {
						fc.addrUses(x)
					}
				case *ssa.Field:
					if fc := get(fieldOfValue(x.X.Type(), x.Field)); fc != nil {
						fc.valueUses(x)
					}
				}
			}
		}
	}
	for _, fc := range order {
		if fc.unknown || fc.made == 0 || fc.closes > 0 {
			continue
		}
		switch {
		case len(fc.sends) > 0 && len(fc.recvs) == 0 && fc.selRecvs == 0 && fc.unbuffered:
			c.reportOneSided(fc, fc.sends, "the send on %s blocks for ever: the package makes it unbuffered and no code receives from it")
		case len(fc.recvs) > 0 && len(fc.sends) == 0 && fc.selSends == 0:
			c.reportOneSided(fc, fc.recvs, "the receive from %s blocks for ever: no code sends on it or closes it")
		}
	}
}

func (c *checker) reportOneSided(fc *fieldChan, ops []ssa.Instruction, format string) {
	var related []analysis.RelatedInformation
	for i, op := range ops[1:] {
		if i == 3 {
			related = append(related, analysis.RelatedInformation{Pos: op.Pos(), Message: fmt.Sprintf("and %d more like it", len(ops)-1-i)})
			break
		}
		related = append(related, analysis.RelatedInformation{Pos: op.Pos(), Message: "also blocks here"})
	}
	c.pass.Report(analysis.Diagnostic{
		Pos:      ops[0].Pos(),
		Category: CatOneSided,
		Message:  "goroutine leak: " + fmt.Sprintf(format, fc.f.Name()),
		Related:  related,
	})
}

// addrUses sorts the uses of the field's address: stores of a make,
// and loads of the channel.
func (fc *fieldChan) addrUses(fa *ssa.FieldAddr) {
	refs := fa.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		switch x := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			if x.Addr != fa {
				fc.unknown = true
				continue
			}
			mk, ok := unconvert(x.Val).(*ssa.MakeChan)
			if !ok {
				if k, isConst := x.Val.(*ssa.Const); isConst && k.IsNil() {
					continue // set to nil: no channel to block on, or the nil check's finding
				}
				fc.unknown = true
				continue
			}
			if !onlyStored(mk, x) {
				fc.unknown = true // the channel is used beside the field too
				continue
			}
			fc.made++
			if size, ok := constSize(mk); !ok || size != 0 {
				fc.unbuffered = false
			}
		case *ssa.UnOp:
			if x.Op != token.MUL {
				fc.unknown = true
				continue
			}
			fc.valueUses(x)
		default:
			fc.unknown = true
		}
	}
}

// valueUses sorts the uses of the channel v loaded from the field.
func (fc *fieldChan) valueUses(v ssa.Value) {
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		switch x := r.(type) {
		case *ssa.DebugRef:
		case *ssa.ChangeType:
			fc.valueUses(x)
		case *ssa.Send:
			if x.Chan != v {
				fc.unknown = true // sent as a value
				continue
			}
			fc.sends = append(fc.sends, x)
		case *ssa.UnOp:
			if x.Op != token.ARROW {
				fc.unknown = true
				continue
			}
			fc.recvs = append(fc.recvs, x)
		case *ssa.Select:
			for _, st := range x.States {
				if st.Send == v {
					fc.unknown = true
				}
				if st.Chan != v {
					continue
				}
				if st.Dir == types.SendOnly {
					fc.selSends++
				} else {
					fc.selRecvs++
				}
			}
		case *ssa.Call:
			if b, ok := x.Call.Value.(*ssa.Builtin); ok {
				switch b.Name() {
				case "len", "cap":
					continue
				case "close":
					fc.closes++
					continue
				}
			}
			fc.unknown = true
		case *ssa.BinOp:
			// A comparison (with nil) reads no value off the channel.
			if x.Op != token.EQL && x.Op != token.NEQ {
				fc.unknown = true
			}
		default:
			fc.unknown = true
		}
	}
}

// onlyStored reports whether the made channel v goes nowhere but into
// the store st (through conversions).
func onlyStored(v ssa.Value, st *ssa.Store) bool {
	refs := v.Referrers()
	if refs == nil {
		return true
	}
	for _, r := range *refs {
		switch x := r.(type) {
		case *ssa.DebugRef:
		case *ssa.ChangeType:
			if !onlyStored(x, st) {
				return false
			}
		case *ssa.Store:
			if x != st {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// unconvert strips conversions between channel types.
func unconvert(v ssa.Value) ssa.Value {
	for {
		ct, ok := v.(*ssa.ChangeType)
		if !ok {
			return v
		}
		v = ct.X
	}
}

// fieldOfValue returns field i of the struct type t, or nil.
func fieldOfValue(t types.Type, i int) *types.Var {
	st, ok := types.Unalias(t).Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return nil
	}
	return st.Field(i).Origin()
}
