package ssax

import (
	"go/constant"
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// Edge is a control-flow edge between two blocks of one function.
type Edge struct{ From, To *ssa.BasicBlock }

// boolLat is a boolean value in a conditional constant propagation:
// not known yet (unset), one constant, or either.
type boolLat uint8

const (
	latUnset boolLat = iota
	latTrue
	latFalse
	latVaries
)

func meetLat(a, b boolLat) boolLat {
	switch {
	case a == latUnset:
		return b
	case b == latUnset || a == b:
		return a
	}
	return latVaries
}

// FeasibleEdges returns the edges that can run on a path from start
// that takes no edge cut reports, given the boolean values such a path
// gives to phis: a loop `for !a || !b { select { case a = <-c1: ...;
// case b = <-c2: ... } }` cannot leave on a path that never takes the
// edge that sets a, since a keeps its first value, false. It is a
// conditional constant propagation (Wegman and Zadeck) over boolean
// phis, restricted to the blocks reached that way. The phis of start
// itself are taken as unknown: the path comes from outside.
func FeasibleEdges(start *ssa.BasicBlock, cut func(from, to *ssa.BasicBlock) bool) map[Edge]bool {
	edges := map[Edge]bool{}
	phis := map[*ssa.Phi]boolLat{}
	exec := map[*ssa.BasicBlock]bool{start: true}
	order := []*ssa.BasicBlock{start}
	var eval func(v ssa.Value, depth int) boolLat
	eval = func(v ssa.Value, depth int) boolLat {
		switch v := v.(type) {
		case *ssa.Const:
			if v.Value != nil && v.Value.Kind() == constant.Bool {
				if constant.BoolVal(v.Value) {
					return latTrue
				}
				return latFalse
			}
		case *ssa.Phi:
			if v.Block() == start {
				return latVaries
			}
			return phis[v]
		case *ssa.BinOp:
			// A comparison of two constants (the guard go/ssa puts
			// before a rotated range-over-int loop: 0 < 10).
			x, okx := v.X.(*ssa.Const)
			y, oky := v.Y.(*ssa.Const)
			switch v.Op {
			case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
				if okx && oky && x.Value != nil && y.Value != nil && x.Value.Kind() == y.Value.Kind() {
					if constant.Compare(x.Value, v.Op, y.Value) {
						return latTrue
					}
					return latFalse
				}
			}
		case *ssa.UnOp:
			if v.Op == token.NOT && depth < 8 {
				switch eval(v.X, depth+1) {
				case latTrue:
					return latFalse
				case latFalse:
					return latTrue
				case latUnset:
					return latUnset
				}
			}
		}
		return latVaries
	}
	// settle: once nothing changes, a branch whose condition is still
	// unset (a phi fed only by itself) is taken both ways.
	settle := false
	for changed := true; changed || !settle; {
		if !changed {
			settle = true
		}
		changed = false
		for i := 0; i < len(order); i++ {
			b := order[i]
			if b != start {
				for _, in := range b.Instrs {
					phi, ok := in.(*ssa.Phi)
					if !ok {
						break
					}
					v := latUnset
					for j, e := range phi.Edges {
						if j < len(b.Preds) && edges[Edge{b.Preds[j], b}] {
							v = meetLat(v, eval(e, 0))
						}
					}
					if v != phis[phi] {
						phis[phi] = v
						changed = true
					}
				}
			}
			succs := b.Succs
			if ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok && len(succs) == 2 {
				switch eval(ifi.Cond, 0) {
				case latUnset:
					if !settle {
						succs = nil
					}
				case latTrue:
					succs = succs[:1]
				case latFalse:
					succs = succs[1:]
				}
			}
			for _, s := range succs {
				e := Edge{b, s}
				if edges[e] || cut(b, s) {
					continue
				}
				edges[e] = true
				changed = true
				if !exec[s] {
					exec[s] = true
					order = append(order, s)
				}
			}
		}
	}
	return edges
}
