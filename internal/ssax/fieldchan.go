package ssax

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// ChanOp is one send or receive on a channel: a plain one, or a case of
// a select (which may take another case instead).
type ChanOp struct {
	Instr    ssa.Instruction // the *ssa.Send, the receive *ssa.UnOp, or the *ssa.Select
	InSelect bool
}

// FieldChan is what some functions do with the channel kept in one
// struct field: the operations on the channel loaded from it, and the
// stores into the field. Unknown is set when the channel or the field's
// address goes anywhere else (passed to a call, stored elsewhere,
// returned, sent as a value): code out of sight may use it.
//
// A function that returns the channel receive-only (a getter such as
// func (s *S) Done() <-chan struct{}) is listed in Getters instead: its
// callers, in sight or not, can only receive from the channel.
type FieldChan struct {
	Sends, Recvs []ChanOp
	Closes       []ssa.Instruction // close calls, deferred ones included
	Stores       []*ssa.Store
	Getters      []*ssa.Function
	Unknown      bool
}

// AddAddr records the uses of fa, the address of the field: stores into
// it, and loads of the channel.
func (u *FieldChan) AddAddr(fa *ssa.FieldAddr) {
	refs := fa.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		switch x := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			if x.Addr != fa {
				u.Unknown = true
				continue
			}
			u.Stores = append(u.Stores, x)
		case *ssa.UnOp:
			if x.Op != token.MUL {
				u.Unknown = true
				continue
			}
			u.AddValue(x)
		default:
			u.Unknown = true
		}
	}
}

// AddValue records the uses of v, the channel loaded from the field (or
// read from a struct value): sends, receives, select cases, closes;
// len, cap, conversions and comparisons with nil read nothing off it.
func (u *FieldChan) AddValue(v ssa.Value) {
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		switch x := r.(type) {
		case *ssa.DebugRef:
		case *ssa.ChangeType:
			u.AddValue(x)
		case *ssa.Send:
			if x.Chan != v {
				u.Unknown = true // sent as a value
				continue
			}
			u.Sends = append(u.Sends, ChanOp{Instr: x})
		case *ssa.UnOp:
			if x.Op != token.ARROW {
				u.Unknown = true
				continue
			}
			u.Recvs = append(u.Recvs, ChanOp{Instr: x})
		case *ssa.Select:
			for _, st := range x.States {
				if st.Send == v {
					u.Unknown = true
				}
				if st.Chan != v {
					continue
				}
				if st.Dir == types.SendOnly {
					u.Sends = append(u.Sends, ChanOp{Instr: x, InSelect: true})
				} else {
					u.Recvs = append(u.Recvs, ChanOp{Instr: x, InSelect: true})
				}
			}
		case *ssa.Call:
			if b, ok := x.Call.Value.(*ssa.Builtin); ok {
				switch b.Name() {
				case "len", "cap":
					continue
				case "close":
					u.Closes = append(u.Closes, x)
					continue
				}
			}
			u.Unknown = true
		case *ssa.Defer:
			if b, ok := x.Call.Value.(*ssa.Builtin); ok && b.Name() == "close" {
				u.Closes = append(u.Closes, x)
				continue
			}
			u.Unknown = true
		case *ssa.BinOp:
			if x.Op != token.EQL && x.Op != token.NEQ {
				u.Unknown = true
			}
		case *ssa.Return:
			if !returnsRecvOnly(x, v) {
				u.Unknown = true
				continue
			}
			if fn := x.Parent(); len(u.Getters) == 0 || u.Getters[len(u.Getters)-1] != fn {
				u.Getters = append(u.Getters, fn)
			}
		default:
			u.Unknown = true
		}
	}
}

// FieldOf returns the field that fa addresses, for a generic type its
// origin, or nil.
func FieldOf(fa *ssa.FieldAddr) *types.Var {
	p, ok := types.Unalias(fa.X.Type()).Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	return StructField(p.Elem(), fa.Field)
}

// StructField returns field i of the struct type t (for a generic
// type, its origin), or nil: the field that an *ssa.Field reads.
func StructField(t types.Type, i int) *types.Var {
	st, ok := types.Unalias(t).Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return nil
	}
	return st.Field(i).Origin()
}

// FieldOfValue returns the field that v, a value loaded from a field
// (through conversions between channel types) or the field's address,
// comes from, or nil.
func FieldOfValue(v ssa.Value) *types.Var {
	if fa := FieldAddrOf(v); fa != nil {
		return FieldOf(fa)
	}
	return nil
}

// FieldAddrOf returns the field address that v, a value loaded from a
// field (through conversions between channel types), or the field's
// address itself, comes from, or nil.
func FieldAddrOf(v ssa.Value) *ssa.FieldAddr {
	v = Unwrap(v, WrapChangeType)
	if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
		v = load.X
	}
	fa, _ := v.(*ssa.FieldAddr)
	return fa
}

// FieldID names the field that fa addresses across packages, as
// "path/to/pkg.Type.field", for a field of a named struct type (of a
// generic type, its origin); "" otherwise.
func FieldID(fa *ssa.FieldAddr) string {
	p, ok := types.Unalias(fa.X.Type()).Underlying().(*types.Pointer)
	if !ok {
		return ""
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return ""
	}
	f := FieldOf(fa)
	if f == nil {
		return ""
	}
	return n.Obj().Pkg().Path() + "." + n.Origin().Obj().Name() + "." + f.Name()
}

// returnsRecvOnly reports whether ret returns v only as results whose
// declared type is a receive-only channel.
func returnsRecvOnly(ret *ssa.Return, v ssa.Value) bool {
	res := ret.Parent().Signature.Results()
	found := false
	for i, r := range ret.Results {
		if r != v {
			continue
		}
		if i >= res.Len() {
			return false
		}
		ch, ok := types.Unalias(res.At(i).Type()).Underlying().(*types.Chan)
		if !ok || ch.Dir() != types.RecvOnly {
			return false
		}
		found = true
	}
	return found
}
