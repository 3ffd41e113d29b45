package overlock

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/passes/lockset"
)

// guardsNothing reports Lock/Unlock pairs whose section touches no
// shared memory, and empty ones.
func (c *checker) guardsNothing(fn *ssa.Function, fl *lockset.FuncLocks) {
	evs := fl.Events()
	releases := map[ssa.Instruction]string{}
	for _, e := range evs {
		if e.Kind == lockset.Release && !e.Deferred && len(e.Via) == 0 {
			releases[e.Instr] = e.Lock.Key
		}
	}
	for _, e := range evs {
		if e.Kind != lockset.Acquire || e.Deferred || len(e.Via) > 0 {
			continue
		}
		unlock, work, ok := section(e.Instr, e.Lock.Key, releases)
		if !ok {
			continue
		}
		d := analysis.Diagnostic{
			Pos:      e.Instr.Pos(),
			Category: CatGuardsNone,
			Message:  fmt.Sprintf("critical section guards nothing: %s is held only around work on local values", e.Lock.Name),
		}
		if !work {
			if c.deliberateEmpty(e.Instr.Pos(), unlock) {
				continue
			}
			d.Category = CatEmpty
			d.Message = fmt.Sprintf("empty critical section: %s is unlocked right after it is locked", e.Lock.Name)
		}
		if unlock != nil {
			d.Related = []analysis.RelatedInformation{{Pos: unlock.Pos(), Message: e.Lock.Name + " unlocked here"}}
		}
		c.pass.Report(d)
	}
}

// deliberateEmpty reports whether an empty section from lock to unlock
// is meant: it is in a test (which exercises the mutex itself, as
// contention loops do), a comment on the line above the Lock or on a
// line between the Lock and the Unlock explains it (a barrier that
// waits for the current holder, or lets queued readers through), or
// the Unlock's line silences staticcheck's SA2001 (empty critical
// section), the same finding, with a directive.
func (c *checker) deliberateEmpty(lock token.Pos, unlock ssa.Instruction) bool {
	fset := c.pass.Fset
	from := fset.Position(lock)
	if strings.HasSuffix(from.Filename, "_test.go") {
		return true
	}
	to := from.Line
	if unlock != nil {
		if u := fset.Position(unlock.Pos()); u.Filename == from.Filename {
			to = u.Line
		}
	}
	for _, f := range c.pass.Files {
		if fset.File(f.Pos()) != fset.File(lock) {
			continue
		}
		for _, cg := range f.Comments {
			for _, cm := range cg.List {
				if strings.HasPrefix(cm.Text, "//syncvet:") {
					continue // directives are not explanations
				}
				line := fset.Position(cm.Pos()).Line
				if line == from.Line-1 || line > from.Line && line < to || line == to && silencesSA2001(cm.Text) {
					return true
				}
			}
		}
	}
	return false
}

// section walks forward from a Lock call to the direct Unlocks of the
// same lock. ok is false if a path leaves the function, or an
// instruction on the way may touch shared memory; work reports whether
// any non-trivial instruction ran in between.
func section(lock ssa.Instruction, key string, releases map[ssa.Instruction]string) (unlock ssa.Instruction, work, ok bool) {
	type point struct {
		b *ssa.BasicBlock
		i int
	}
	start := -1
	for i, in := range lock.Block().Instrs {
		if in == lock {
			start = i
		}
	}
	if start < 0 {
		return nil, false, false
	}
	seen := map[*ssa.BasicBlock]bool{}
	work1 := []point{{lock.Block(), start + 1}}
	steps := 0
	for len(work1) > 0 {
		p := work1[len(work1)-1]
		work1 = work1[:len(work1)-1]
		done := false
		for i := p.i; i < len(p.b.Instrs) && !done; i++ {
			if steps++; steps > 200 {
				return nil, false, false
			}
			in := p.b.Instrs[i]
			if k, isRel := releases[in]; isRel && k == key {
				unlock = in
				done = true
				break
			}
			switch x := in.(type) {
			case *ssa.Jump, *ssa.If, *ssa.DebugRef, *ssa.Phi:
				continue
			case *ssa.Return, *ssa.Panic:
				return nil, false, false
			case *ssa.BinOp, *ssa.Convert, *ssa.ChangeType, *ssa.Extract, *ssa.Field, *ssa.Index,
				*ssa.MakeInterface, *ssa.Slice:
				if sl, isSlice := x.(*ssa.Slice); isSlice && isPointer(sl.X.Type()) {
					return nil, false, false
				}
				work = true
			case *ssa.UnOp:
				if x.Op == token.ARROW {
					return nil, false, false
				}
				if x.Op == token.MUL && !localAlloc(x.X) {
					return nil, false, false
				}
				work = true
			case *ssa.Store:
				if !localAlloc(x.Addr) {
					return nil, false, false
				}
				work = true
			case *ssa.FieldAddr, *ssa.IndexAddr:
				// Address arithmetic touches nothing; loads and stores do.
			case *ssa.Alloc:
				if x.Heap {
					return nil, false, false
				}
			default:
				return nil, false, false // calls, channel ops, maps, goroutines...
			}
		}
		if done {
			continue
		}
		for _, s := range p.b.Succs {
			if !seen[s] {
				seen[s] = true
				work1 = append(work1, point{s, 0})
			}
		}
	}
	return unlock, work, unlock != nil
}

func isPointer(t types.Type) bool {
	_, ok := t.Underlying().(*types.Pointer)
	return ok
}

// localAlloc reports whether addr is (a field or element of) a
// non-escaping local variable.
func localAlloc(addr ssa.Value) bool {
	a := allocRoot(addr)
	return a != nil && !a.Heap
}

// allocRoot returns the Alloc that addr is in (through field and array
// element addresses), or nil: a slice element is in a backing array
// that others may share.
func allocRoot(addr ssa.Value) *ssa.Alloc {
	for i := 0; i < 8; i++ {
		switch x := addr.(type) {
		case *ssa.Alloc:
			return x
		case *ssa.FieldAddr:
			addr = x.X
		case *ssa.IndexAddr:
			if _, ok := x.X.Type().Underlying().(*types.Pointer); !ok {
				return nil
			}
			addr = x.X
		default:
			return nil
		}
	}
	return nil
}

// deferInLoop reports deferred unlocks inside loops.
func (c *checker) deferInLoop(fn *ssa.Function, fl *lockset.FuncLocks) {
	var loops map[*ssa.BasicBlock]bool
	seen := map[ssa.Instruction]bool{}
	for _, e := range fl.Events() {
		if !e.Deferred || e.Kind != lockset.Release || seen[e.Instr] {
			continue
		}
		if loops == nil {
			loops = lockset.LoopBlocks(fn)
		}
		if !loops[e.Instr.Block()] || loopVariant(deferredRecv(e.Instr), loops) {
			continue
		}
		seen[e.Instr] = true
		c.pass.Report(analysis.Diagnostic{
			Pos:      e.Instr.Pos(),
			Category: CatDeferInLoop,
			Message:  fmt.Sprintf("deferred unlock of %s inside a loop: the lock stays held until the function returns, not to the end of the iteration", e.Lock.Name),
		})
	}
}

// deferredRecv returns the mutex a deferred call unlocks.
func deferredRecv(instr ssa.Instruction) ssa.Value {
	d, ok := instr.(*ssa.Defer)
	if !ok {
		return nil
	}
	if d.Call.IsInvoke() {
		return d.Call.Value
	}
	if len(d.Call.Args) > 0 {
		return d.Call.Args[0]
	}
	return nil
}

// loopVariant reports whether v may denote a different object on each
// iteration: it is reached through a loop-carried variable, an element
// taken by a loop-varying index, or a value computed anew in the loop.
// Deferring the unlock of a different mutex per iteration (lock every
// ancestor, every shard) is deliberate.
func loopVariant(v ssa.Value, loops map[*ssa.BasicBlock]bool) bool {
	for i := 0; i < 16 && v != nil; i++ {
		switch x := v.(type) {
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.Field:
			v = x.X
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return false
			}
			if al, ok := x.X.(*ssa.Alloc); ok {
				return loops[al.Block()] // a variable declared in the loop
			}
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.IndexAddr:
			if inst, ok := x.Index.(ssa.Instruction); ok && loops[inst.Block()] {
				return true
			}
			v = x.X
		case *ssa.Index:
			if inst, ok := x.Index.(ssa.Instruction); ok && loops[inst.Block()] {
				return true
			}
			v = x.X
		case *ssa.Phi:
			return loops[x.Block()]
		case *ssa.Extract, *ssa.Lookup, *ssa.Call, *ssa.TypeAssert:
			return loops[x.(ssa.Instruction).Block()]
		default:
			return false
		}
	}
	return false
}

// silencesSA2001 reports whether comment text is a linter directive
// that silences staticcheck's empty-critical-section check:
// //lint:ignore SA2001, or //nolint naming staticcheck (or all linters).
func silencesSA2001(text string) bool {
	if rest, ok := strings.CutPrefix(text, "//lint:ignore "); ok {
		return strings.Contains(rest, "SA2001")
	}
	rest, ok := strings.CutPrefix(text, "//nolint")
	if !ok {
		return false
	}
	if rest == "" || rest[0] == ' ' {
		return true // every linter
	}
	if rest[0] != ':' {
		return false
	}
	names := strings.Fields(rest[1:])
	if len(names) == 0 {
		return false
	}
	for _, n := range strings.Split(names[0], ",") {
		if n == "staticcheck" || n == "SA2001" {
			return true
		}
	}
	return false
}
