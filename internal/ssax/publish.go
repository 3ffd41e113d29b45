package ssax

import (
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/syncapi"
)

// ObjectOf returns the object that the address v lies in when its own
// function allocated it (v is the Alloc, or the address of one of its
// fields, through conversions), or nil.
func ObjectOf(v ssa.Value) *ssa.Alloc {
	for i := 0; i < 16 && v != nil; i++ {
		switch x := v.(type) {
		case *ssa.Alloc:
			return x
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			return nil
		}
	}
	return nil
}

// Unpublished reports whether no other goroutine can reach obj, which
// its function allocated, when at runs: on no path to at has the
// function stored the pointer (or the address of one of its fields)
// anywhere, sent it, converted it to an interface, captured it in a
// closure, started a goroutine with it, or passed it to a function
// that may keep it. Functions with a body are looked into, a few
// calls deep; others are assumed to keep what they get.
func Unpublished(obj *ssa.Alloc, at ssa.Instruction) bool {
	points, ok := PublishPoints(obj)
	return ok && NoneBefore(points, at)
}

// PublishPointsOf is PublishPoints for any pointer value: an
// allocation, or the result of a call that made it (see FreshResult).
func PublishPointsOf(v ssa.Value) ([]ssa.Instruction, bool) {
	var points []ssa.Instruction
	if !publishPoints(v, &points, map[*ssa.Function]bool{}, 0) {
		return nil, false
	}
	return points, true
}

// FreshResult reports whether fn returns, on every return, a pointer to
// an object it allocated itself and published nowhere on the way, or nil
// (an error return), and the object on some: a constructor (return
// &T{...}, nil). Its caller holds the only reference.
func FreshResult(fn *ssa.Function) bool {
	if fn == nil || len(fn.Blocks) == 0 || fn.Signature.Results().Len() == 0 {
		return false
	}
	n := 0
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		if k, ok := ret.Results[0].(*ssa.Const); ok && k.IsNil() {
			continue // an error return: no object at all
		}
		res, slotStore := ret.Results[0], ssa.Instruction(nil)
		if v, st := resultSlot(res); v != nil {
			// A function with defers returns through a local result
			// slot: *slot = obj; rundefers; return *slot.
			res, slotStore = v, st
		}
		obj, ok := res.(*ssa.Alloc)
		if !ok || !obj.Heap {
			return false
		}
		points, ok := PublishPoints(obj)
		if !ok {
			return false
		}
		for _, pt := range points {
			if pt != slotStore && RunsBefore(pt, ret) {
				return false
			}
		}
		n++
	}
	return n > 0
}

// PublishPoints returns the instructions of obj's function that may
// make obj reachable by other goroutines (see Unpublished), and false
// when a use is not understood. A caller asking about many instructions
// computes them once and asks NoneBefore.
func PublishPoints(obj *ssa.Alloc) ([]ssa.Instruction, bool) {
	var points []ssa.Instruction
	if !publishPoints(obj, &points, map[*ssa.Function]bool{}, 0) {
		return nil, false
	}
	return points, true
}

// NoneBefore reports whether none of points can run before at.
func NoneBefore(points []ssa.Instruction, at ssa.Instruction) bool {
	for _, p := range points {
		if p == at || RunsBefore(p, at) {
			return false
		}
	}
	return true
}

// publishPoints collects the instructions of v's function that may make
// v (a pointer) reachable by others; false when a use is not
// understood.
func publishPoints(v ssa.Value, out *[]ssa.Instruction, seen map[*ssa.Function]bool, depth int) bool {
	refs := v.Referrers()
	if refs == nil {
		return true
	}
	for _, r := range *refs {
		switch x := r.(type) {
		case *ssa.DebugRef, *ssa.Return:
			// Returning it publishes it only to the caller, after at.
		case *ssa.UnOp:
			// A load of a field or the whole value: a copy, not the
			// pointer. (Loading from v never publishes v.)
			if x.Op != token.MUL {
				*out = append(*out, r)
			}
		case *ssa.BinOp:
			// Compared with nil or another pointer.
		case *ssa.Store:
			if x.Addr != v {
				*out = append(*out, r) // v itself stored somewhere
			}
		case *ssa.FieldAddr:
			if !publishPoints(x, out, seen, depth) {
				return false
			}
		case *ssa.ChangeType:
			if !publishPoints(x, out, seen, depth) {
				return false
			}
		case *ssa.Call:
			if !keepsNothing(&x.Call, v, seen, depth) {
				*out = append(*out, r)
			}
		case *ssa.Defer:
			// defer x.mu.Unlock(), or a deferred callee that keeps
			// nothing of it, runs at return and publishes nothing.
			if !keepsNothing(&x.Call, v, seen, depth) {
				*out = append(*out, r)
			}
		default:
			// go, other defers, send, select, closures, interfaces, phis,
			// slices of it, ...: published.
			*out = append(*out, r)
		}
	}
	return true
}

// keepsNothing reports whether the static callee of call, given v as
// one or more of its arguments, keeps nothing of it: it only reads and
// writes through it and passes it on to callees that keep nothing.
func keepsNothing(call *ssa.CallCommon, v ssa.Value, seen map[*ssa.Function]bool, depth int) bool {
	if op := syncapi.Call(call); op.Kind != syncapi.None && op.FuncArg(call) != v {
		return true // a lock, wait group or condition variable operation on it
	}
	fn := call.StaticCallee()
	if fn == nil || len(fn.Blocks) == 0 || depth >= 4 || seen[fn] {
		return false
	}
	seen[fn] = true
	defer delete(seen, fn)
	for i, a := range call.Args {
		if a != v {
			continue
		}
		if i >= len(fn.Params) {
			return false
		}
		var points []ssa.Instruction
		if !publishPoints(fn.Params[i], &points, seen, depth+1) || len(points) > 0 {
			return false
		}
	}
	return true
}

// RunsBefore reports whether instruction a can run before a different
// instruction b in one call of their function: earlier in b's block, or
// in a block from which b's block is reachable (round a loop included).
// Without blocks to compare it answers true.
func RunsBefore(a, b ssa.Instruction) bool { return RunsBeforeAvoiding(a, b, nil) }

// ReachesAvoiding reports whether, running from instruction idx of
// block start on (idx 0: the whole block; len: its successors), an
// instruction for which target holds can run before one for which
// barrier holds (nil: none). Blocks are followed round loops; start
// itself is scanned whole when a loop comes back to it.
func ReachesAvoiding(start *ssa.BasicBlock, idx int, target, barrier func(ssa.Instruction) bool) bool {
	// scan reports whether instrs reach a target before a barrier, and
	// whether they pass on to the block's successors.
	scan := func(instrs []ssa.Instruction) (hit, through bool) {
		for _, in := range instrs {
			if target(in) {
				return true, false
			}
			if barrier != nil && barrier(in) {
				return false, false
			}
		}
		return false, true
	}
	if hit, through := scan(start.Instrs[idx:]); hit || !through {
		return hit
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := append([]*ssa.BasicBlock(nil), start.Succs...)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		hit, through := scan(b.Instrs)
		if hit {
			return true
		}
		if through {
			work = append(work, b.Succs...)
		}
	}
	return false
}

// IndexOf returns the index of instr in its block, or -1.
func IndexOf(instr ssa.Instruction) int {
	for i, in := range instr.Block().Instrs {
		if in == instr {
			return i
		}
	}
	return -1
}

// resultSlot returns the one value stored into the local result slot
// that res loads (a function with defers: *t0 = obj; rundefers; return
// *t0), and that store; or nil.
func resultSlot(res ssa.Value) (ssa.Value, ssa.Instruction) {
	ld, ok := res.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return nil, nil
	}
	slot, ok := ld.X.(*ssa.Alloc)
	if !ok || slot.Heap {
		return nil, nil
	}
	var val ssa.Value
	var store ssa.Instruction
	for _, r := range *slot.Referrers() {
		switch x := r.(type) {
		case *ssa.Store:
			if x.Addr != slot || store != nil {
				return nil, nil
			}
			val, store = x.Val, x
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return nil, nil
			}
		case *ssa.DebugRef:
		default:
			return nil, nil
		}
	}
	return val, store
}

// RunsBeforeAvoiding is RunsBefore over the paths that do not enter
// block avoid (nil: every path): a path that comes back to avoid, a
// loop's header, starts a new iteration rather than going on with this
// one.
func RunsBeforeAvoiding(a, b ssa.Instruction, avoid *ssa.BasicBlock) bool {
	if a == b {
		return false
	}
	ab, bb := a.Block(), b.Block()
	if ab == nil || bb == nil {
		return true
	}
	if ab == bb && Dominates(a, b) {
		return true
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := append([]*ssa.BasicBlock(nil), ab.Succs...)
	for len(work) > 0 {
		x := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[x] || x == avoid {
			continue
		}
		if x == bb {
			return true
		}
		seen[x] = true
		work = append(work, x.Succs...)
	}
	return false
}
