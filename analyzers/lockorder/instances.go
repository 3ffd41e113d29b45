package lockorder

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/passes/lockset"
)

// instanceEdge is an order between two instances of one class, named in
// the outermost function that can name both.
type instanceEdge struct {
	root     *ssa.Function
	class    string
	from, to string // keys in root
	fromName string
	toName   string
	pos      token.Pos
	inGo     bool // the acquisition runs on a goroutine the site starts
	fn       *ssa.Function
	callee   string // the function that locks them, for messages
}

// instances reports two instances of one class locked in both orders.
func (c *checker) instances() {
	var all []*instanceEdge
	for _, fl := range c.ls.Funcs() {
		fn := fl.Fn
		// Orders inside the function itself.
		for _, e := range fl.Events() {
			if e.Deferred || (e.Kind != lockset.Acquire && e.Kind != lockset.Take) || e.Lock.Unknown || e.Lock.Anonymous() {
				continue
			}
			for _, h := range e.HeldBefore {
				if h.Key == e.Lock.Key || h.Class != e.Lock.Class || h.Unknown || (h.Read && e.Lock.Read) {
					continue
				}
				if ie := c.instanceEdge(fl, h, e.Lock, ssax.Pos(e.Instr)); ie != nil {
					if len(e.Via) > 0 {
						ie.callee = e.Via[0]
					}
					all = append(all, ie)
				}
			}
		}
		// Orders inside callees, mapped onto the arguments.
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				if _, ok := instr.(*ssa.Defer); ok {
					continue
				}
				callee := call.Common().StaticCallee()
				if callee == nil {
					continue
				}
				sum := c.ls.Summary(callee)
				if sum == nil {
					continue
				}
				_, isGo := instr.(*ssa.Go)
				for _, se := range sum.Edges {
					if se.From.Class != se.To.Class || strings.HasPrefix(se.From.Class, "*") || (se.From.Read && se.To.Read) {
						continue
					}
					if se.From.Kind == lockset.RefClass || se.To.Kind == lockset.RefClass {
						continue
					}
					lf := fl.MapRef(call.Common(), instr.Pos(), se.From)
					lt := fl.MapRef(call.Common(), instr.Pos(), se.To)
					if lf.Unknown || lt.Unknown || lf.Key == lt.Key {
						continue
					}
					if ie := c.instanceEdge(fl, lf, lt, instr.Pos()); ie != nil {
						ie.inGo = isGo
						ie.callee = c.funcName(callee)
						all = append(all, ie)
					}
				}
			}
		}
	}
	reported := map[string]bool{}
	// The functions whose two instances an inversion found below locks
	// (in both orders, or as the callee of both): that finding covers
	// their argument order.
	inverted := map[string]bool{}
	defer func() {
		for _, a := range all {
			if a.callee == "" && !inverted[c.funcName(a.fn)] {
				c.argumentOrder(a, reported)
			}
		}
	}()
	for i, a := range all {
		for _, b := range all[:i] {
			if a.class != b.class || a.from != b.to || a.to != b.from {
				continue
			}
			if a.root != b.root && !(strings.HasPrefix(a.from, "g:") && strings.HasPrefix(a.to, "g:")) {
				continue
			}
			// Both orders must be able to run at once: on different
			// goroutines or in different functions.
			if a.fn == b.fn && !a.inGo && !b.inGo {
				continue
			}
			k := fmt.Sprintf("%p|%s|%s|%s", a.root, a.class, minStr(a.from, a.to), maxStr(a.from, a.to))
			if reported[k] {
				continue
			}
			reported[k] = true
			first, second := a, b
			if second.pos < first.pos {
				first, second = second, first // report at the first in source order
			}
			for _, e := range []*instanceEdge{a, b} {
				inverted[c.funcName(e.fn)] = true
				if e.callee != "" {
					inverted[e.callee] = true
				}
			}
			c.reportInstance(first, second)
		}
	}
}

func (c *checker) reportInstance(a, b *instanceEdge) {
	who := "they are locked"
	if b.callee != "" {
		who = b.callee + " locks them"
	}
	where := "elsewhere"
	if b.fn != nil {
		where = "in " + c.funcName(b.fn)
	}
	c.pass.Report(analysis.Diagnostic{
		Pos:      a.pos,
		Category: CategoryInstance,
		Message: fmt.Sprintf("lock order inversion between two %s: %s locked before %s here, after it %s; lock instances in a stable order (for example by an id)",
			c.className(a.class), a.fromName, a.toName, where),
		Related: []analysis.RelatedInformation{{Pos: b.pos, Message: fmt.Sprintf("%s in the other order: %s before %s", who, b.fromName, b.toName)}},
	})
}

func minStr(a, b string) string {
	if a < b {
		return a
	}
	return b
}

func maxStr(a, b string) string {
	if a > b {
		return a
	}
	return b
}

// instanceEdge names from and to in the outermost enclosing function,
// following captured variables out of closures.
func (c *checker) instanceEdge(fl *lockset.FuncLocks, from, to lockset.Lock, pos token.Pos) *instanceEdge {
	ie := &instanceEdge{class: from.Class, fromName: from.Name, toName: to.Name, pos: pos, fn: fl.Fn}
	if p := fl.Fn.Parent(); p != nil {
		_, ie.inGo = findClosure(p, fl.Fn)
	}
	cur := fl
	for {
		rf, rt := cur.Ref(from), cur.Ref(to)
		if rf.Kind != lockset.RefFreeVar && rt.Kind != lockset.RefFreeVar {
			break
		}
		parent := cur.Fn.Parent()
		if parent == nil {
			return nil
		}
		pfl := c.ls.Func(parent)
		mc, spawned := findClosure(parent, cur.Fn)
		if pfl == nil || mc == nil {
			return nil
		}
		common := &ssa.CallCommon{Value: mc}
		from = pfl.MapRef(common, pos, rf)
		to = pfl.MapRef(common, pos, rt)
		if from.Unknown || to.Unknown {
			return nil
		}
		if spawned {
			ie.inGo = true
		}
		cur = pfl
	}
	ie.root = cur.Fn
	ie.from, ie.to = from.Key, to.Key
	return ie
}

// canonical names l, a lock of fl, in the outermost function enclosing
// fl.Fn, following captured variables out of closures.
func (c *checker) canonical(fl *lockset.FuncLocks, l lockset.Lock, pos token.Pos) (*ssa.Function, string, bool) {
	cur := fl
	for {
		ref := cur.Ref(l)
		if ref.Kind != lockset.RefFreeVar {
			break
		}
		parent := cur.Fn.Parent()
		if parent == nil {
			return nil, "", false
		}
		pfl := c.ls.Func(parent)
		mc, _ := findClosure(parent, cur.Fn)
		if pfl == nil || mc == nil {
			return nil, "", false
		}
		l = pfl.MapRef(&ssa.CallCommon{Value: mc}, pos, ref)
		if l.Unknown {
			return nil, "", false
		}
		cur = pfl
	}
	return cur.Fn, l.Key, true
}

// findClosure finds the MakeClosure of anon in parent, and whether a go
// statement starts it.
func findClosure(parent, anon *ssa.Function) (*ssa.MakeClosure, bool) {
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			mc, ok := instr.(*ssa.MakeClosure)
			if !ok || mc.Fn != anon {
				continue
			}
			spawned := false
			if refs := mc.Referrers(); refs != nil {
				for _, r := range *refs {
					if g, ok := r.(*ssa.Go); ok && g.Call.Value == mc {
						spawned = true
					}
				}
			}
			return mc, spawned
		}
	}
	return nil, false
}

// argumentOrder reports two instances of one class that a function
// locks in the order of its arguments: two parameters (not the
// receiver) of one type, each locked through the same field path. A
// concurrent call with the
// arguments swapped (transfer(b, a) beside transfer(a, b)) takes them
// the other way round, and both block for ever. A function that puts
// them in order first (by an id) locks values it chose, not its
// parameters, and is not reported; nor is the receiver with a
// parameter, or parameters named for a place in a structure (parent
// and child, prev and next), whose order the structure fixes.
func (c *checker) argumentOrder(a *instanceEdge, reported map[string]bool) {
	if a.root != a.fn || a.inGo || a.fn.Parent() != nil || a.callee != "" || ssax.InTestFile(c.pass.Fset, a.fn.Pos()) {
		return // (a test's helper, equal(p, q), is called one pair at a time)
	}
	fl := c.ls.Func(a.fn)
	if fl == nil {
		return
	}
	var rf, rt lockset.LockRef
	for _, e := range fl.Events() {
		if e.Lock.Key == a.from {
			rf = fl.Ref(e.Lock)
		}
		if e.Lock.Key == a.to {
			rt = fl.Ref(e.Lock)
		}
	}
	if rf.Kind != lockset.RefParam || rt.Kind != lockset.RefParam || rf.Index == rt.Index || rf.Read || rt.Read {
		return
	}
	recv := 0
	if a.fn.Signature.Recv() != nil {
		recv = 1
	}
	if rf.Index < recv || rt.Index < recv || rf.Index >= len(a.fn.Params) || rt.Index >= len(a.fn.Params) {
		return
	}
	if strings.Join(rf.Path, ".") != strings.Join(rt.Path, ".") {
		return
	}
	pf, pt := a.fn.Params[rf.Index], a.fn.Params[rt.Index]
	if !types.Identical(pf.Type(), pt.Type()) || hierarchical(pf.Name()) || hierarchical(pt.Name()) {
		return
	}
	k := fmt.Sprintf("%p|%s|args", a.root, a.class)
	if reported[k] {
		return
	}
	reported[k] = true
	c.pass.Report(analysis.Diagnostic{
		Pos:      a.pos,
		Category: CategoryInstance,
		Message: fmt.Sprintf("lock order follows the arguments: %s locks %s before %s, two %s; a concurrent call with %s and %s swapped takes them the other way round and both block for ever; lock instances in a stable order (for example by an id)",
			c.funcName(a.fn), a.fromName, a.toName, c.className(a.class), pf.Name(), pt.Name()),
	})
}

// hierarchical reports whether a parameter's name places it in a
// structure whose shape orders the locks (a parent before its child).
func hierarchical(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"parent", "child", "outer", "inner", "prev", "next", "root", "leaf", "head", "tail", "upper", "lower"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}
