package goroutineleak

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
	"github.com/syncvet/syncvet/passes/goroutines"
)

// CatUnstoppable is the category of a goroutine that its object's Close
// or Stop cannot end.
const CatUnstoppable = "unstoppable"

// checkUnstoppable reports a goroutine that a function of type T (a
// constructor returning *T, or a method of *T) starts, whose body can
// never return (an endless loop; a range over a ticker's channel, which
// is never closed), when T has a Close, Stop or Shutdown method: the
// type promises an end its goroutine cannot reach, and each value
// closed leaks one.
func (c *checker) checkUnstoppable() {
	for _, s := range c.g.Spawns {
		if s.Site == nil || s.Kind != goroutines.KindGo || s.Entry == nil || len(s.Entry.Blocks) == 0 || s.Entry.Recover != nil || s.Parent == nil {
			continue
		}
		t := ownerType(s.Parent)
		if t == nil || t.Obj().Pkg() != c.pass.Pkg {
			continue
		}
		stop := stopMethod(t)
		if stop == nil || ssax.InTestFile(c.pass.Fset, s.Entry.Pos()) || !neverReturns(s.Entry, c.neverClosedField) {
			continue
		}
		c.report(analysis.Diagnostic{
			Pos:      s.Pos,
			Category: CatUnstoppable,
			Message: fmt.Sprintf("goroutine leak: the goroutine running %s never returns, so %s cannot end it: give its loop a way out (a done channel or context that %s closes)",
				display(s.Entry), "(*"+t.Obj().Name()+")."+stop.Name(), stop.Name()),
			Related: []analysis.RelatedInformation{{Pos: stop.Pos(), Message: stop.Name() + " is declared here"}},
		})
	}
}

// ownerType returns the named type whose pointer fn returns (a
// constructor) or whose method fn is.
func ownerType(fn *ssa.Function) *types.Named {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	if recv := fn.Signature.Recv(); recv != nil {
		return namedOf(recv.Type())
	}
	res := fn.Signature.Results()
	for i := 0; i < res.Len(); i++ {
		if p, ok := types.Unalias(res.At(i).Type()).(*types.Pointer); ok {
			if n := namedOf(p); n != nil {
				return n
			}
		}
	}
	return nil
}

func namedOf(t types.Type) *types.Named {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, _ := t.(*types.Named)
	return n
}

// stopMethod returns t's exported Close, Stop or Shutdown method,
// declared on t itself: a Close promoted from an embedded connection is
// not the type's own promise.
func stopMethod(t *types.Named) *types.Func {
	ms := types.NewMethodSet(types.NewPointer(t))
	for _, name := range syncapi.CloserNames() {
		if sel := ms.Lookup(t.Obj().Pkg(), name); sel != nil && len(sel.Index()) == 1 {
			if f, ok := sel.Obj().(*types.Func); ok {
				return f
			}
		}
	}
	return nil
}

// neverReturns reports whether no return of fn is reachable from its
// entry, the ok == false side of a receive from a ticker's channel not
// followed (a ticker's channel is never closed), nor that of a receive
// from a channel field that neverClosed says no code closes. A block
// that calls panic or another function that does not return ends no
// path here.
func neverReturns(fn *ssa.Function, neverClosed func(*types.Var) bool) bool {
	seen := map[*ssa.BasicBlock]bool{}
	stack := []*ssa.BasicBlock{fn.Blocks[0]}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		switch last := b.Instrs[len(b.Instrs)-1].(type) {
		case *ssa.Return:
			return false
		case *ssa.Panic:
			continue
		case *ssa.If:
			if tickerOK(last.Cond) || neverClosed != nil && unclosedFieldOK(last.Cond, neverClosed) {
				stack = append(stack, b.Succs[0])
				continue
			}
		}
		stack = append(stack, b.Succs...)
	}
	return true
}

// tickerOK reports whether v is the ok result of a receive from the
// channel of a time.Ticker (t.C) or of time.Tick.
func tickerOK(v ssa.Value) bool {
	x, ok := v.(*ssa.Extract)
	if !ok || x.Index != 1 {
		return false
	}
	recv, ok := x.Tuple.(*ssa.UnOp)
	if !ok || recv.Op != token.ARROW {
		return false
	}
	ch := recv.X
	if ct, ok := ch.(*ssa.ChangeType); ok {
		ch = ct.X
	}
	switch c := ch.(type) {
	case *ssa.UnOp:
		fa, ok := c.X.(*ssa.FieldAddr)
		if !ok {
			return false
		}
		n := namedOf(fa.X.Type())
		return n != nil && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "time" && n.Obj().Name() == "Ticker" && fa.Field == 0
	case *ssa.Call:
		f := c.Call.StaticCallee()
		return f != nil && f.Pkg != nil && f.Pkg.Pkg.Path() == "time" && f.Name() == "Tick"
	}
	return false
}

// unclosedFieldOK reports whether v is the ok result of a receive from
// a channel loaded from a struct field that neverClosed says no code
// closes (for job := range d.jobs, when nothing closes d.jobs).
func unclosedFieldOK(v ssa.Value, neverClosed func(*types.Var) bool) bool {
	x, ok := v.(*ssa.Extract)
	if !ok || x.Index != 1 {
		return false
	}
	recv, ok := x.Tuple.(*ssa.UnOp)
	if !ok || recv.Op != token.ARROW {
		return false
	}
	fa := ssax.FieldAddrOf(recv.X)
	if fa == nil {
		return false
	}
	f := ssax.FieldOf(fa)
	return f != nil && neverClosed(f)
}

// neverClosedField reports whether f is an unexported channel field of
// the package that only ever holds channels made here and that no code
// closes: every use is in sight (no getter, no copy handed on), and no
// use closes it.
func (c *checker) neverClosedField(f *types.Var) bool {
	if f.Exported() || f.Pkg() != c.pass.Pkg {
		return false
	}
	if v, ok := c.unclosed[f]; ok {
		return v
	}
	var u ssax.FieldChan
	for _, fn := range c.allFuncs() {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				if fa, ok := in.(*ssa.FieldAddr); ok && ssax.FieldOf(fa) == f {
					u.AddAddr(fa)
				}
			}
		}
	}
	v := !u.Unknown && len(u.Getters) == 0 && len(u.Closes) == 0 && len(u.Stores) > 0
	for _, st := range u.Stores {
		if _, made := st.Val.(*ssa.MakeChan); !made {
			v = false
		}
	}
	if c.unclosed == nil {
		c.unclosed = map[*types.Var]bool{}
	}
	c.unclosed[f] = v
	return v
}

// allFuncs returns the package's functions with their function
// literals, nested ones included.
func (c *checker) allFuncs() []*ssa.Function {
	if c.all != nil {
		return c.all
	}
	var add func(f *ssa.Function)
	add = func(f *ssa.Function) {
		c.all = append(c.all, f)
		for _, a := range f.AnonFuncs {
			add(a)
		}
	}
	for _, f := range c.funcs {
		if f.Parent() == nil {
			add(f)
		}
	}
	return c.all
}
