package sharedaccess

import (
	"go/constant"
	"go/token"
	"go/types"
	"strconv"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// chanGetterOf returns what fn returns when it is a channel getter: of
// this package by its body (chanGetter), of another by its ChanGetter
// fact; memoized; else nil.
func (st *state) chanGetterOf(fn *ssa.Function) *ChanGetter {
	if fn == nil {
		return nil
	}
	if g, ok := st.getters[fn]; ok {
		return g
	}
	var g *ChanGetter
	if k, fa := chanGetter(fn); fa != nil {
		g = &ChanGetter{Param: k, Field: fieldName(fa.X.Type(), fa.Field, true)}
	} else if obj, ok := fn.Object().(*types.Func); ok && fn.Blocks == nil && obj.Pkg() != nil && obj.Pkg() != st.pass.Pkg {
		var f ChanGetter
		if st.pass.ImportObjectFact(obj.Origin(), &f) {
			g = &f
		}
	}
	if st.getters == nil {
		st.getters = map[*ssa.Function]*ChanGetter{}
	}
	st.getters[fn] = g
	return g
}

// ChanGetter is a fact on an exported function whose only result is a
// channel field of one of its parameters (func (r *R) Running() <-chan
// struct{} { return r.running }): in other packages, a receive from the
// result is a receive from the field, which Accesses.Closes names.
type ChanGetter struct {
	Param int    // the parameter (receiver first)
	Field string // the field's name
}

// AFact marks ChanGetter as a fact.
func (*ChanGetter) AFact() {}

func (g *ChanGetter) String() string {
	return "changetter(" + strconv.Itoa(g.Param) + "." + g.Field + ")"
}

// chanGetter returns, for a function whose only result is a channel
// field of one of its parameters (return r.ch, converted or not), the
// parameter's index and the field's address. The getter may make the
// channel first when the field is still nil, under a lock or not
// (if s.started == nil { s.started = make(chan struct{}) }; return
// s.started), as long as it stores nothing else into the field.
func chanGetter(fn *ssa.Function) (int, *ssa.FieldAddr) {
	if fn == nil || fn.Signature.Results().Len() != 1 || len(fn.Blocks) == 0 {
		return -1, nil
	}
	if _, ok := fn.Signature.Results().At(0).Type().Underlying().(*types.Chan); !ok {
		return -1, nil
	}
	idx, field := -1, -1
	var first *ssa.FieldAddr
	// same records a returned value: a channel field of a parameter,
	// the same one on every return.
	same := func(v ssa.Value) bool {
		fa := ssax.FieldAddrOf(v)
		if fa == nil {
			return false
		}
		for i, p := range fn.Params {
			if fa.X != p {
				continue
			}
			if idx == -1 {
				idx, field, first = i, fa.Field, fa
				return true
			}
			return idx == i && field == fa.Field
		}
		return false
	}
	for _, b := range fn.Blocks {
		if b == fn.Recover {
			continue
		}
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		if len(ret.Results) != 1 {
			return -1, nil
		}
		v := ret.Results[0]
		if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
			if slot, ok := load.X.(*ssa.Alloc); ok && !slot.Heap {
				// The result slot of a function with defers: every
				// value stored in it.
				for _, r := range *slot.Referrers() {
					if st, ok := r.(*ssa.Store); ok && st.Addr == slot && !same(st.Val) {
						return -1, nil
					}
				}
				continue
			}
		}
		if !same(v) {
			return -1, nil
		}
	}
	if first == nil {
		return -1, nil
	}
	// Stores into the field: only fresh channels.
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			fa, ok := st.Addr.(*ssa.FieldAddr)
			if !ok || fa.X != fn.Params[idx] || fa.Field != field {
				continue
			}
			if _, made := st.Val.(*ssa.MakeChan); !made {
				return -1, nil
			}
		}
	}
	return idx, first
}

// fillsChan reports whether send instr on ch lies in a loop of a
// function that also asks for cap(ch): for i := 0; i < cap(ch); i++ { ch <- x }.
func (fr *frame) fillsChan(instr ssa.Instruction, ch ssa.Value) bool {
	if !fr.c.st.g.InLoop(instr.Block()) {
		return false
	}
	key := ""
	if p, ok := fr.resolve(ch); ok {
		key = p.key
	}
	for _, b := range fr.fn.Blocks {
		for _, in := range b.Instrs {
			c, ok := in.(*ssa.Call)
			if !ok || len(c.Call.Args) != 1 {
				continue
			}
			if bi, ok := c.Call.Value.(*ssa.Builtin); !ok || bi.Name() != "cap" {
				continue
			}
			arg := c.Call.Args[0]
			if arg == ch {
				return true
			}
			if p, ok := fr.resolve(arg); ok && key != "" && p.key == key {
				return true
			}
		}
	}
	return false
}

// sendsBefore reports whether at least n sends on ch (other than
// instr) execute before instr on every path: the buffer of capacity n is
// full, so instr waits for a receive.
func (fr *frame) sendsBefore(instr ssa.Instruction, ch ssa.Value, n int64) bool {
	key := ""
	if p, ok := fr.resolve(ch); ok {
		key = p.key
	}
	count := int64(0)
	for _, b := range fr.fn.Blocks {
		for _, in := range b.Instrs {
			snd, ok := in.(*ssa.Send)
			if !ok || in == instr || !fr.c.st.reach.dominates(in, instr, false) || fr.c.st.g.InLoop(in.Block()) {
				continue
			}
			same := snd.Chan == ch
			if !same && key != "" {
				if p, ok := fr.resolve(snd.Chan); ok && p.key == key {
					same = true
				}
			}
			if same {
				count++
			}
		}
	}
	return count >= n
}

// chanCapacity returns the constant capacity channel v (with location
// key) was made with, as far as the root function shows, or -1.
func (st *state) chanCapacity(fr *frame, v ssa.Value, key string) int64 {
	if mc, ok := v.(*ssa.MakeChan); ok {
		return constInt(mc.Size)
	}
	if key == "" {
		return -1
	}
	if n, ok := st.chanCaps[key]; ok {
		return n
	}
	n := int64(-1)
	root := fr.c.root
	rf := &frame{c: fr.c, fn: root, env: map[ssa.Value]path{}, root: true}
	for _, blk := range root.Blocks {
		for _, instr := range blk.Instrs {
			s, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			mc, ok := s.Val.(*ssa.MakeChan)
			if !ok {
				continue
			}
			if p, ok := rf.resolve(s.Addr); ok && p.key+"*" == key {
				n = constInt(mc.Size)
			}
		}
	}
	st.chanCaps[key] = n
	return n
}

// constInt returns the value of a non-negative integer constant, or -1.
func constInt(v ssa.Value) int64 {
	c, ok := v.(*ssa.Const)
	if !ok || c.Value == nil || c.Value.Kind() != constant.Int {
		return -1
	}
	n, ok := constant.Int64Val(c.Value)
	if !ok || n < 0 {
		return -1
	}
	return n
}
