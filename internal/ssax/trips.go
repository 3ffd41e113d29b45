package ssax

import (
	"go/constant"
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// maxTripSteps bounds the blocks ConstTrips executes: loops that run
// longer are not counted.
const maxTripSteps = 4096

// ConstTrips returns how many times the block site runs in one run of
// the loop whose blocks are body, when every branch inside the loop
// depends only on constants and on integer variables the loop steps
// from constants (for i := 0; i < 3; i++, for range 3, a range over an
// array). The loop is run on those values from its one entry edge;
// any other branch, an entry from two places, or a run longer than a
// few thousand blocks gives false.
func ConstTrips(body map[*ssa.BasicBlock]bool, site *ssa.BasicBlock) (int64, bool) {
	var header, from *ssa.BasicBlock
	for b := range body {
		for _, p := range b.Preds {
			if body[p] {
				continue
			}
			if header != nil && (header != b || from != p) {
				return 0, false // entered from two places
			}
			header, from = b, p
		}
	}
	if header == nil || !body[site] {
		return 0, false
	}
	st := &tripState{
		vals: map[ssa.Value]constant.Value{},
		ptrs: map[ssa.Value]*ssa.Alloc{},
		mem:  map[*ssa.Alloc]constant.Value{},
	}
	// The straight-line code that runs before every entry: the blocks
	// that dominate the edge into the loop (for i := 0 sets a cell
	// there when a closure captures i).
	var chain []*ssa.BasicBlock
	for d := from; d != nil; d = d.Idom() {
		chain = append(chain, d)
	}
	inChain := map[*ssa.BasicBlock]bool{}
	for _, d := range chain {
		inChain[d] = true
	}
	st.outside = func(a *ssa.Alloc) bool {
		for _, r := range *a.Referrers() {
			if s, ok := r.(*ssa.Store); ok && !body[s.Block()] && !inChain[s.Block()] {
				return false // set on a path the run does not follow
			}
		}
		return true
	}
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].Instrs {
			if _, ok := in.(*ssa.Phi); !ok {
				st.step(in)
			}
		}
	}
	var n int64
	b, prev := header, from
	for steps := 0; steps < maxTripSteps; steps++ {
		if !body[b] {
			return n, true
		}
		if b == site {
			n++
		}
		next, ok := st.run(b, prev)
		if !ok {
			return 0, false
		}
		if next == nil {
			return n, true // a return: the loop ends
		}
		b, prev = next, b
	}
	return 0, false
}

// tripState is what a run of a loop knows: integer and boolean values,
// the local cells that pointers hold (a loop variable that a closure
// captures lives in a cell of its own each iteration) and the cells'
// contents.
type tripState struct {
	vals map[ssa.Value]constant.Value
	ptrs map[ssa.Value]*ssa.Alloc
	mem  map[*ssa.Alloc]constant.Value
	// outside reports whether a cell made before the loop is set only
	// where the run sees it.
	outside func(*ssa.Alloc) bool
}

// run executes b's integer arithmetic, entered from prev, and returns
// the successor that its end takes (nil for a return), or false at a
// branch it cannot decide, a panic, or a cell whose address goes
// somewhere that may change it.
func (st *tripState) run(b, prev *ssa.BasicBlock) (*ssa.BasicBlock, bool) {
	// Phis read the values from before the edge, all at once.
	type phiVal struct {
		v constant.Value
		p *ssa.Alloc
	}
	phis := map[*ssa.Phi]phiVal{}
	for _, in := range b.Instrs {
		phi, ok := in.(*ssa.Phi)
		if !ok {
			break
		}
		for i, p := range b.Preds {
			if p == prev {
				phis[phi] = phiVal{st.value(phi.Edges[i]), st.cell(phi.Edges[i])}
			}
		}
	}
	for phi, pv := range phis {
		st.set(phi, pv.v)
		if pv.p != nil {
			st.ptrs[phi] = pv.p
		} else {
			delete(st.ptrs, phi)
		}
	}
	for _, in := range b.Instrs {
		switch x := in.(type) {
		case *ssa.Alloc:
			delete(st.mem, x)
			if !onlyLoadedOrStored(x) {
				// Its address goes where it may change (the backing
				// array of append's arguments): what it holds is not
				// known, and a branch that depends on it gives up.
				delete(st.ptrs, x)
				continue
			}
			st.ptrs[x] = x
		case *ssa.If:
			c := st.value(x.Cond)
			if c == nil || c.Kind() != constant.Bool {
				return nil, false
			}
			if constant.BoolVal(c) {
				return b.Succs[0], true
			}
			return b.Succs[1], true
		case *ssa.Jump:
			return b.Succs[0], true
		case *ssa.Return:
			return nil, true
		case *ssa.Panic:
			return nil, false
		default:
			st.step(in)
		}
	}
	return nil, false
}

// step executes one instruction of straight-line code: cells, loads,
// stores and integer arithmetic; anything else leaves what it defines
// unknown.
func (st *tripState) step(in ssa.Instruction) {
	switch x := in.(type) {
	case *ssa.Alloc:
		if st.outside(x) && onlyLoadedOrStored(x) {
			st.ptrs[x] = x
			delete(st.mem, x)
		}
	case *ssa.Store:
		if a := st.cell(x.Addr); a != nil {
			if v := st.value(x.Val); v != nil {
				st.mem[a] = v
			} else {
				delete(st.mem, a)
			}
		}
	case *ssa.UnOp:
		if a := st.cell(x.X); x.Op == token.MUL && a != nil {
			st.set(x, st.mem[a])
		} else {
			delete(st.vals, x)
		}
	case *ssa.BinOp:
		l, r := st.value(x.X), st.value(x.Y)
		if l == nil || r == nil || l.Kind() != constant.Int || r.Kind() != constant.Int {
			delete(st.vals, x)
			return
		}
		switch x.Op {
		case token.ADD, token.SUB:
			st.vals[x] = constant.BinaryOp(l, x.Op, r)
		case token.LSS, token.LEQ, token.GTR, token.GEQ, token.EQL, token.NEQ:
			st.vals[x] = constant.MakeBool(constant.Compare(l, x.Op, r))
		default:
			delete(st.vals, x)
		}
	}
}

func (st *tripState) set(v ssa.Value, k constant.Value) {
	if k != nil {
		st.vals[v] = k
	} else {
		delete(st.vals, v)
	}
}

// value returns v's value: a constant, or one the run computed.
func (st *tripState) value(v ssa.Value) constant.Value {
	if k, ok := v.(*ssa.Const); ok {
		return k.Value
	}
	return st.vals[v]
}

// cell returns the local cell that the pointer v holds, or nil.
func (st *tripState) cell(v ssa.Value) *ssa.Alloc {
	return st.ptrs[v]
}

// onlyLoadedOrStored reports whether the cell a is only loaded, stored
// into, merged by phis (of cells like it) and captured by closures that
// only load it: nothing else can change what it holds.
func onlyLoadedOrStored(a *ssa.Alloc) bool {
	seen := map[ssa.Value]bool{}
	var ok func(v ssa.Value) bool
	ok = func(v ssa.Value) bool {
		if seen[v] {
			return true
		}
		seen[v] = true
		refs := v.Referrers()
		if refs == nil {
			return true
		}
		for _, r := range *refs {
			switch x := r.(type) {
			case *ssa.DebugRef:
			case *ssa.Store:
				if x.Val == v {
					return false // the address itself is stored
				}
			case *ssa.UnOp:
				if x.Op != token.MUL {
					return false
				}
			case *ssa.Phi:
				if !ok(x) {
					return false
				}
			case *ssa.MakeClosure:
				fn, isFn := x.Fn.(*ssa.Function)
				if !isFn {
					return false
				}
				for i, b := range x.Bindings {
					if b == v && (i >= len(fn.FreeVars) || !onlyLoaded(fn.FreeVars[i])) {
						return false
					}
				}
			default:
				return false
			}
		}
		return true
	}
	return ok(a)
}
