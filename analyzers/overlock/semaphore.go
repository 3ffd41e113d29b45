package overlock

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// A channel used as a counting semaphore is a lock with several slots:
// a send takes a slot and a receive gives it back (or, for a channel
// filled when it is made, the other way round). A return that keeps the
// slot while the function's other returns give it back loses one slot
// for good; once all are lost, every later acquirer blocks for ever.
//
//	l.sem <- struct{}{}
//	if err := f(); err != nil {
//		return err // the slot is never given back
//	}
//	<-l.sem
//
// The rules follow those for mutexes (unreleased): the slot must be
// held on every path to the return and given back on other returns, a
// conditional acquirer whose held returns report success is left
// alone, and so is a function that defers a call that may give it back
// or starts a goroutine on the way (it hands the slot over).

// semKey names a semaphore channel within one function: the value it
// is reached from (a parameter, a free variable, a global, a channel
// the function made) and the fields on the way.
type semKey struct {
	root   ssa.Value
	fields string // ".sem", ".pool.sem"; "" for the root itself
	last   *types.Var
}

// semOp is a plain send or receive on a semaphore channel, or a call of
// a function of the package that makes one on its parameter's field.
type semOp struct {
	key   semKey
	send  bool
	instr ssa.Instruction
	// block and index give where the slot is held from: after instr,
	// or from the start of a select case's block (index -1).
	block *ssa.BasicBlock
	index int
}

// chanKey returns the semaphore key of the channel value v.
func chanKey(v ssa.Value) (semKey, bool) {
	switch x := v.(type) {
	case *ssa.Parameter, *ssa.MakeChan:
		return semKey{root: x}, true
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return semKey{}, false
		}
		switch a := x.X.(type) {
		case *ssa.Global, *ssa.FreeVar, *ssa.Alloc:
			return semKey{root: a}, true
		case *ssa.FieldAddr:
			base, ok := baseKey(a.X)
			if !ok {
				return semKey{}, false
			}
			f := ssax.FieldOf(a)
			if f == nil {
				return semKey{}, false
			}
			base.fields += "." + f.Name()
			base.last = f
			return base, true
		}
	case *ssa.FreeVar:
		return semKey{root: x}, true
	}
	return semKey{}, false
}

// baseKey keys the struct pointer a field is taken from.
func baseKey(v ssa.Value) (semKey, bool) {
	switch x := v.(type) {
	case *ssa.Parameter, *ssa.FreeVar, *ssa.Global:
		return semKey{root: x}, true
	case *ssa.UnOp:
		if x.Op == token.MUL {
			if fa, ok := x.X.(*ssa.FieldAddr); ok {
				base, ok := baseKey(fa.X)
				f := ssax.FieldOf(fa)
				if !ok || f == nil {
					return semKey{}, false
				}
				base.fields += "." + f.Name()
				base.last = f
				return base, true
			}
			switch a := x.X.(type) {
			case *ssa.FreeVar, *ssa.Global:
				return semKey{root: a, fields: "*"}, true
			}
		}
	}
	return semKey{}, false
}

// semOps returns fn's plain sends and receives on channels it can key,
// and the keys it must leave alone (an operation in a select other than
// an acquire whose other cases only receive, such as a ctx.Done() case;
// a receive whose value is used: a queue, not a semaphore).
func (c *checker) semOps(fn *ssa.Function) ([]semOp, map[semKey]bool) {
	var ops []semOp
	bad := map[semKey]bool{}
	for _, b := range fn.Blocks {
		for i, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Send:
				if k, ok := chanKey(x.Chan); ok {
					ops = append(ops, semOp{key: k, send: true, instr: x, block: b, index: i})
				}
			case *ssa.UnOp:
				if x.Op != token.ARROW {
					continue
				}
				k, ok := chanKey(x.X)
				if !ok {
					continue
				}
				if ssax.HasUses(x) {
					bad[k] = true
					continue
				}
				ops = append(ops, semOp{key: k, instr: x, block: b, index: i})
			case *ssa.Select:
				for j, st := range x.States {
					k, ok := chanKey(st.Chan)
					if !ok {
						continue
					}
					to, ok := ssax.CaseBlock(x, j)
					if !x.Blocking || !ok || st.Dir != types.SendOnly && usedCase(x, j) {
						bad[k] = true
						continue
					}
					ops = append(ops, semOp{key: k, send: st.Dir == types.SendOnly, instr: x, block: to, index: -1})
				}
			}
		}
	}
	return ops, bad
}

// usedCase reports whether the value received by case j of sel is used.
func usedCase(sel *ssa.Select, j int) bool {
	refs := sel.Referrers()
	if refs == nil {
		return false
	}
	// The received values follow the index and recvOk in the tuple.
	idx := 2
	for i := 0; i < j; i++ {
		if sel.States[i].Dir == types.RecvOnly {
			idx++
		}
	}
	for _, r := range *refs {
		if e, ok := r.(*ssa.Extract); ok && e.Index == idx && ssax.HasUses(e) {
			return true
		}
	}
	return false
}

// semaphores reports returns of fn that keep a slot of a channel
// semaphore that fn's other returns give back.
func (c *checker) semaphores(fn *ssa.Function) {
	if len(fn.Blocks) == 0 {
		return
	}
	ops, bad := c.semOps(fn)
	if len(ops) < 2 {
		return
	}
	byKey := map[semKey][]semOp{}
	var keys []semKey
	for _, o := range ops {
		if bad[o.key] {
			continue
		}
		if _, seen := byKey[o.key]; !seen {
			keys = append(keys, o.key)
		}
		byKey[o.key] = append(byKey[o.key], o)
	}
	var rets []*ssa.Return
	handsOver := false
	for _, b := range fn.Blocks {
		if b == fn.Recover {
			continue
		}
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Return:
				rets = append(rets, x)
			case *ssa.Defer:
				if _, builtin := x.Call.Value.(*ssa.Builtin); !builtin && x.Call.StaticCallee() == nil || x.Call.StaticCallee() != nil && x.Call.StaticCallee().Pkg == fn.Pkg {
					handsOver = true // a deferred closure or helper may give it back
				}
			}
		}
	}
	if handsOver || len(rets) < 2 {
		return
	}
	for _, k := range keys {
		c.semaphoreKey(fn, k, byKey[k], rets)
	}
}

func (c *checker) semaphoreKey(fn *ssa.Function, k semKey, ops []semOp, rets []*ssa.Return) {
	if !semElem(k, ops) {
		return
	}
	// The acquire is the operation that comes first: one of them
	// dominates an operation of the other direction, never the other
	// way round.
	var acq, rel []semOp
	for _, dir := range []bool{true, false} {
		var a, r []semOp
		for _, o := range ops {
			if o.send == dir {
				a = append(a, o)
			} else {
				r = append(r, o)
			}
		}
		if len(a) == 0 || len(r) == 0 {
			return
		}
		if dominatesAny(a, r) && !dominatesAny(r, a) {
			acq, rel = a, r
			break
		}
	}
	if acq == nil {
		return
	}
	if _, isMake := k.root.(*ssa.MakeChan); isMake {
		return // the function's own channel: dropped on the early return
	}
	freed := reachableFrom(fn, rel)
	var heldAt, freeAt []*ssa.Return
	for _, r := range rets {
		rb := r.Block()
		switch {
		case freed[rb]:
			freeAt = append(freeAt, r)
		case dominatedByAny(acq, rb) && !c.goesOnTheWay(fn, k, acq, rb):
			heldAt = append(heldAt, r)
		}
	}
	if len(heldAt) == 0 || len(freeAt) == 0 || conditionalAcquire(fn, heldAt, freeAt) {
		return
	}
	name := semName(k)
	for _, r := range heldAt {
		pos := r.Pos()
		if !pos.IsValid() {
			continue
		}
		give := "a receive"
		if rel[0].send {
			give = "a send"
		}
		c.pass.Report(analysis.Diagnostic{
			Pos:      pos,
			Category: CatUnreleased,
			Message:  fmt.Sprintf("return keeps the slot taken from semaphore %s: the other return paths give it back with %s, and once every slot is lost each acquirer blocks for ever", name, give),
			Related: []analysis.RelatedInformation{
				{Pos: acq[0].instr.Pos(), Message: "slot taken here"},
				{Pos: rel[0].instr.Pos(), Message: "given back here on the other paths"},
			},
		})
	}
}

// semElem reports whether the channel carries tokens: struct{} values
// (whose receives nobody reads, checked by semOps).
func semElem(k semKey, ops []semOp) bool {
	var ch types.Type
	switch x := ops[0].instr.(type) {
	case *ssa.Send:
		ch = x.Chan.Type()
	case *ssa.UnOp:
		ch = x.X.Type()
	case *ssa.Select:
		for _, st := range x.States {
			if s, ok := chanKey(st.Chan); ok && s == k {
				ch = st.Chan.Type()
			}
		}
	}
	ct, ok := types.Unalias(ch).Underlying().(*types.Chan)
	if !ok || ct.Dir() != types.SendRecv {
		return false
	}
	// struct{} only: a channel of booleans or integers with room for
	// one often holds an object's state as its token, which a return
	// into a terminal state keeps on purpose.
	e, ok := ct.Elem().Underlying().(*types.Struct)
	return ok && e.NumFields() == 0
}

// dominatesAny reports whether some op of a runs before some op of b on
// every path to it.
func dominatesAny(a, b []semOp) bool {
	for _, x := range a {
		for _, y := range b {
			if x.block == y.block && x.index >= 0 && y.index > x.index || x.block != y.block && x.block.Dominates(y.block) {
				return true
			}
		}
	}
	return false
}

func dominatedByAny(ops []semOp, b *ssa.BasicBlock) bool {
	for _, o := range ops {
		if o.block.Dominates(b) {
			return true
		}
	}
	return false
}

// reachableFrom returns the blocks a path can reach after one of ops.
func reachableFrom(fn *ssa.Function, ops []semOp) map[*ssa.BasicBlock]bool {
	seen := map[*ssa.BasicBlock]bool{}
	var stack []*ssa.BasicBlock
	for _, o := range ops {
		if !seen[o.block] {
			seen[o.block] = true
			stack = append(stack, o.block)
		}
	}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, s := range b.Succs {
			if !seen[s] {
				seen[s] = true
				stack = append(stack, s)
			}
		}
	}
	return seen
}

// goesOnTheWay reports whether something that may give the slot back
// or hand it over can run between an acquire and the block to: a go
// statement, or a call of a function of the package that sends on or
// receives from the semaphore's field (or is handed its root).
func (c *checker) goesOnTheWay(fn *ssa.Function, k semKey, acq []semOp, to *ssa.BasicBlock) bool {
	from := reachableFrom(fn, acq)
	back := map[*ssa.BasicBlock]bool{to: true}
	stack := []*ssa.BasicBlock{to}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range b.Preds {
			if !back[p] {
				back[p] = true
				stack = append(stack, p)
			}
		}
	}
	for b := range from {
		if !back[b] {
			continue
		}
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Go:
				return true
			case *ssa.Call:
				callee := x.Call.StaticCallee()
				if callee == nil || callee.Pkg != fn.Pkg {
					continue
				}
				if k.last != nil && c.touchesField(callee, k.last, 0) {
					return true
				}
				for _, a := range x.Call.Args {
					if a == k.root {
						return true
					}
				}
			}
		}
	}
	return false
}

// touchesField reports whether fn, its function literals or the
// functions of its package it calls (a few calls deep) send on or
// receive from a channel held in field f.
func (c *checker) touchesField(fn *ssa.Function, f *types.Var, depth int) bool {
	if depth > 3 {
		return false
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			var ch ssa.Value
			switch x := instr.(type) {
			case *ssa.Send:
				ch = x.Chan
			case *ssa.UnOp:
				if x.Op == token.ARROW {
					ch = x.X
				}
			case *ssa.Select:
				for _, st := range x.States {
					if k, ok := chanKey(st.Chan); ok && k.last == f {
						return true
					}
				}
			case *ssa.Call:
				if callee := x.Call.StaticCallee(); callee != nil && callee.Pkg == fn.Pkg && callee != fn && c.touchesField(callee, f, depth+1) {
					return true
				}
			}
			if ch != nil {
				if k, ok := chanKey(ch); ok && k.last == f {
					return true
				}
			}
		}
	}
	for _, a := range fn.AnonFuncs {
		if c.touchesField(a, f, depth+1) {
			return true
		}
	}
	return false
}

// semName renders the channel of k for messages: l.sem, sem.
func semName(k semKey) string {
	root := k.root.Name()
	switch r := k.root.(type) {
	case *ssa.Global:
		root = r.Name()
	case *ssa.FreeVar:
		root = r.Name()
	case *ssa.Alloc:
		if r.Comment != "" {
			root = r.Comment
		}
	}
	if k.fields == "*" {
		return root
	}
	return root + k.fields
}
