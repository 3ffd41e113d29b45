package sharedaccess

import "golang.org/x/tools/go/ssa"

// reachability answers ordering questions about instructions of one
// function, caching block reachability.
type reachability struct {
	succ map[*ssa.BasicBlock]map[*ssa.BasicBlock]bool // blocks reachable by one or more edges
	idx  map[ssa.Instruction]int
	dead map[*ssa.BasicBlock]bool
}

func newReachability() *reachability {
	return &reachability{succ: map[*ssa.BasicBlock]map[*ssa.BasicBlock]bool{}, idx: map[ssa.Instruction]int{}, dead: map[*ssa.BasicBlock]bool{}}
}

func (r *reachability) index(instr ssa.Instruction) int {
	if i, ok := r.idx[instr]; ok {
		return i
	}
	for i, in := range instr.Block().Instrs {
		r.idx[in] = i
	}
	return r.idx[instr]
}

// blockReaches reports whether b is reachable from a by at least one edge.
func (r *reachability) blockReaches(a, b *ssa.BasicBlock) bool {
	m, ok := r.succ[a]
	if !ok {
		m = map[*ssa.BasicBlock]bool{}
		stack := append([]*ssa.BasicBlock(nil), a.Succs...)
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if m[x] {
				continue
			}
			m[x] = true
			stack = append(stack, x.Succs...)
		}
		r.succ[a] = m
	}
	return m[b]
}

// after reports whether y may execute after x (both of one function).
func (r *reachability) after(x, y ssa.Instruction) bool {
	if x == nil || y == nil || x.Block() == nil || y.Block() == nil || x.Parent() != y.Parent() {
		return false
	}
	if x.Block() == y.Block() && r.index(y) > r.index(x) {
		return true
	}
	return r.blockReaches(x.Block(), y.Block())
}

// afterAvoiding reports whether y is reachable from x on a path that
// does not execute d.
func (r *reachability) afterAvoiding(x, y, d ssa.Instruction) bool {
	return r.afterAvoidingAll(x, y, []ssa.Instruction{d})
}

// dominates reports whether q executes on every path to b (to the
// function's return when exit is set), before it.
func (r *reachability) dominates(q, b ssa.Instruction, exit bool) bool {
	if q == nil || b == nil || q.Block() == nil || b.Block() == nil || q.Parent() != b.Parent() {
		return false
	}
	if exit {
		n := 0
		for _, blk := range q.Parent().Blocks {
			if len(blk.Instrs) == 0 {
				continue
			}
			if _, ok := blk.Instrs[len(blk.Instrs)-1].(*ssa.Return); !ok {
				continue
			}
			n++
			if !q.Block().Dominates(blk) {
				return false
			}
		}
		return n > 0
	}
	if q.Block() == b.Block() {
		return r.index(q) < r.index(b)
	}
	return q.Block().Dominates(b.Block())
}

// precedes reports whether q orders b: q dominates b, or q sits in a
// loop that b follows (a loop of receives before reading the results).
func (r *reachability) precedes(q, b ssa.Instruction, exit bool) bool {
	if r.dominates(q, b, exit) {
		return true
	}
	if q == nil || b == nil || q.Block() == nil || b.Block() == nil || q.Parent() != b.Parent() {
		return false
	}
	qb := q.Block()
	if !r.blockReaches(qb, qb) {
		return false
	}
	if exit {
		for _, blk := range q.Parent().Blocks {
			if len(blk.Instrs) > 0 {
				if _, ok := blk.Instrs[len(blk.Instrs)-1].(*ssa.Return); ok && r.blockReaches(qb, blk) {
					return true
				}
			}
		}
		return false
	}
	return r.blockReaches(qb, b.Block())
}

// panicOnly reports whether every path from b ends in a panic: b reaches
// no return and no loop.
func (r *reachability) panicOnly(b *ssa.BasicBlock) bool {
	if b == nil {
		return false
	}
	if v, ok := r.dead[b]; ok {
		return v
	}
	v := true
	check := func(x *ssa.BasicBlock) {
		if len(x.Instrs) > 0 {
			if _, ok := x.Instrs[len(x.Instrs)-1].(*ssa.Return); ok {
				v = false
			}
		}
		if r.blockReaches(x, x) {
			v = false
		}
	}
	check(b)
	r.blockReaches(b, b)
	for x := range r.succ[b] {
		check(x)
	}
	r.dead[b] = v
	return v
}

// avoidable reports whether b can be reached from its function's entry
// without executing any of qs (all of b's function).
func (r *reachability) avoidable(b ssa.Instruction, qs []ssa.Instruction) bool {
	fn := b.Parent()
	if fn == nil || len(fn.Blocks) == 0 {
		return true
	}
	first := map[*ssa.BasicBlock]int{} // earliest blocker index per block
	for _, q := range qs {
		if q.Parent() != fn || q.Block() == nil {
			continue
		}
		i := r.index(q)
		if j, ok := first[q.Block()]; !ok || i < j {
			first[q.Block()] = i
		}
	}
	bb, bi := b.Block(), r.index(b)
	seen := map[*ssa.BasicBlock]bool{}
	stack := []*ssa.BasicBlock{fn.Blocks[0]}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[x] {
			continue
		}
		seen[x] = true
		j, blocked := first[x]
		if x == bb && (!blocked || j > bi) {
			return true
		}
		if blocked {
			continue
		}
		stack = append(stack, x.Succs...)
	}
	return false
}

// afterAvoidingAll reports whether y may run after x (both of one
// function) on a path that runs none of ds.
func (r *reachability) afterAvoidingAll(x, y ssa.Instruction, ds []ssa.Instruction) bool {
	if x == nil || y == nil || x.Block() == nil || y.Block() == nil || x.Parent() != y.Parent() {
		return r.after(x, y)
	}
	blocked := map[*ssa.BasicBlock][]int{} // indices of ds per block
	for _, d := range ds {
		if d != nil && d.Block() != nil && d.Parent() == x.Parent() {
			blocked[d.Block()] = append(blocked[d.Block()], r.index(d))
		}
	}
	// between reports a d in b strictly between indices lo and hi.
	between := func(b *ssa.BasicBlock, lo, hi int) bool {
		for _, i := range blocked[b] {
			if lo < i && i < hi {
				return true
			}
		}
		return false
	}
	xb, yb := x.Block(), y.Block()
	xi, yi := r.index(x), r.index(y)
	if xb == yb && yi > xi && !between(xb, xi, yi) {
		return true
	}
	if between(xb, xi, len(xb.Instrs)) {
		return false
	}
	seen := map[*ssa.BasicBlock]bool{}
	stack := append([]*ssa.BasicBlock(nil), xb.Succs...)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		if b == yb && !between(b, -1, yi) {
			return true
		}
		if between(b, -1, len(b.Instrs)) {
			continue
		}
		stack = append(stack, b.Succs...)
	}
	return false
}
