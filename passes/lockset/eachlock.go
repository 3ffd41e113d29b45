package lockset

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// A loop that locks every element's mutex in turn,
//
//	for i := range p.shards { p.shards[i].mu.Lock() }
//
// holds all of them when it ends: on its exit edge the function holds
// one lock that stands for every element's (key "…/[*]/mu", the class
// of the element's mutex). The loop that unlocks them all releases it.
// With no elements there is no element lock to hold, so the exit after
// zero rounds holds it too. A lock-all helper's summary carries the
// lock to its callers; a section under it holds the lock of whichever
// element another section takes.

// eachElementOps returns the ops that the loop headed by b has done to
// every element's locks when it leaves on b's false successor.
func (fa *funcAnalysis) eachElementOps(b *ssa.BasicBlock) []op {
	if len(b.Succs) != 2 {
		return nil
	}
	ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return nil
	}
	lt, ok := ifi.Cond.(*ssa.BinOp)
	if !ok || lt.Op != token.LSS {
		return nil
	}
	counter, container := lt.X, lenOf(lt.Y)
	if phi := ssax.CounterPhi(counter); container == nil || phi == nil || phi.Block() != b {
		return nil
	}
	body := b.Succs[0]
	if body == b || len(body.Preds) != 1 {
		return nil
	}
	// The op must run in every round: in a block that dominates each
	// edge back to the header.
	for _, p := range b.Preds {
		if b.Dominates(p) && !body.Dominates(p) {
			return nil
		}
	}
	// Ops on every element in the loop's body: one that runs every
	// round, and nothing in the body undoing it (a loop that locks and
	// unlocks each element in turn holds none at its end).
	var cands []op
	kinds := map[string]map[EventKind]bool{}
	for _, blk := range b.Parent().Blocks {
		if !body.Dominates(blk) {
			continue
		}
		every := dominatesBackEdges(blk, b)
		for _, instr := range blk.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			common := call.Common()
			for _, o := range fa.callOps(call) {
				if o.kind != Acquire && o.kind != Release || len(common.Args) == 0 && !common.IsInvoke() {
					continue
				}
				recv := common.Value
				if !common.IsInvoke() {
					recv = common.Args[0]
				}
				a := fa.everyElement(recv, counter, container)
				if a == nil {
					continue
				}
				all := fa.lockFromAccess(a, "", o.lock.Read)
				all.Class = o.lock.Class
				a.fieldClass = o.lock.Class
				if kinds[all.Key] == nil {
					kinds[all.Key] = map[EventKind]bool{}
				}
				kinds[all.Key][o.kind] = true
				if _, plain := call.(*ssa.Call); plain && every {
					cands = append(cands, op{kind: o.kind, lock: all, site: call.Pos()})
				}
			}
		}
	}
	var out []op
	for _, o := range cands {
		if len(kinds[o.lock.Key]) == 1 {
			out = append(out, o)
		}
	}
	return out
}

// dominatesBackEdges reports whether blk dominates every predecessor of
// the loop header h that h dominates (the sources of its back edges).
func dominatesBackEdges(blk, h *ssa.BasicBlock) bool {
	n := 0
	for _, p := range h.Preds {
		if h.Dominates(p) {
			n++
			if !blk.Dominates(p) {
				return false
			}
		}
	}
	return n > 0
}

// lenOf returns x when v is len(x) of a slice or array, else nil.
func lenOf(v ssa.Value) ssa.Value {
	call, ok := v.(*ssa.Call)
	if !ok {
		return nil
	}
	bi, ok := call.Call.Value.(*ssa.Builtin)
	if !ok || bi.Name() != "len" || len(call.Call.Args) != 1 {
		return nil
	}
	x := call.Call.Args[0]
	switch t := x.Type().Underlying().(type) {
	case *types.Slice:
		return x
	case *types.Pointer:
		if _, isArray := t.Elem().Underlying().(*types.Array); isArray {
			return x
		}
	}
	return nil
}

// everyElement returns, for a mutex value m that is the element of
// container at index (or a field path inside it), the access that
// names that mutex in every element ("…/[*]/mu"), or nil.
func (fa *funcAnalysis) everyElement(m, index, container ssa.Value) *access {
	var fields []*ssa.FieldAddr
	for {
		fa0, ok := m.(*ssa.FieldAddr)
		if !ok {
			break
		}
		fields = append(fields, fa0)
		m = fa0.X
	}
	load := false
	if u, ok := m.(*ssa.UnOp); ok && u.Op == token.MUL {
		load, m = true, u.X
	}
	ia, ok := m.(*ssa.IndexAddr)
	if !ok || ia.Index != index || fa.accessOf(ia.X).key() != fa.accessOf(container).key() {
		return nil
	}
	a := fa.accessOf(ia.X).with("[*]")
	if load {
		a = a.with("*")
	}
	for i := len(fields) - 1; i >= 0; i-- {
		f := fields[i]
		st, owner := structOf(f.X.Type(), true)
		if st == nil || f.Field >= st.NumFields() {
			return nil
		}
		a = a.withField(st.Field(f.Field).Name(), owner)
	}
	return a
}
