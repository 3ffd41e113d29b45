package sharedaccess

import (
	"fmt"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
)

// A goroutine that an exported constructor leaves running on the
// object it returns runs beside everything its caller does with the
// object next: every exported method of the object's type. The
// goroutine's lock-free accesses to the object are paired with the
// lock-free accesses of those methods (a refresh loop writing a map that
// Resolve reads, a timer callback and a Touch method sharing a field, a
// Close that sets a plain flag the loop polls). Accesses under some
// lock are left to the guard check, which names the lock.

// apiObject returns the key and name, in ctor's own terms, of the object
// of a named type of this package that the exported function ctor
// returns, its type, and whether there is one.
func (st *state) apiObject(ctor *ssa.Function) (path, *types.Named, bool) {
	if ctor.Parent() != nil || ctor.Signature.Recv() != nil || !apiEntry(ctor) || st.inTest(ctor) {
		return path{}, nil, false
	}
	res := ctor.Signature.Results()
	keys := st.resultKeys(ctor)
	for i := 0; i < res.Len() && i < len(keys); i++ {
		p, ok := types.Unalias(res.At(i).Type()).(*types.Pointer)
		if !ok {
			continue
		}
		n, ok := types.Unalias(p.Elem()).(*types.Named)
		if !ok || n.Obj().Pkg() != st.pass.Pkg || !n.Obj().Exported() || keys[i].key == "" {
			continue
		}
		return keys[i], n, true
	}
	return path{}, nil, false
}

// apiReceiver returns the key and name of the receiver of start, an
// exported method of an exported type of this package that leaves a
// goroutine running on it (a Start), its type, and whether it is one.
func (st *state) apiReceiver(start *ssa.Function) (path, *types.Named, bool) {
	recv := start.Signature.Recv()
	if recv == nil || start.Parent() != nil || len(start.Params) == 0 || !apiEntry(start) || st.inTest(start) || stopMethod(start) {
		return path{}, nil, false
	}
	p, ok := types.Unalias(recv.Type()).(*types.Pointer)
	if !ok {
		return path{}, nil, false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	if !ok || n.Obj().Pkg() != st.pass.Pkg || !n.Obj().Exported() {
		return path{}, nil, false
	}
	c := st.newContext(start, start, nil)
	fr := &frame{c: c, fn: start, env: map[ssa.Value]path{}, root: true}
	key, ok := fr.resolve(start.Params[0])
	if !ok || key.key == "" {
		return path{}, nil, false
	}
	return key, n, true
}

// stopMethod reports whether m's name says it stops its object: Stop,
// Close, Shutdown and their kin (StopAll, CloseSend).
func stopMethod(m *ssa.Function) bool {
	return syncapi.Named(ssax.Origin(m).Name(), syncapi.Stop)
}

// apiMethods returns the exported methods of named type n (value and
// pointer receivers) declared outside test files.
func (st *state) apiMethods(n *types.Named) []*ssa.Function {
	if st.methodsOf == nil {
		st.methodsOf = map[*types.TypeName][]*ssa.Function{}
		for _, fn := range st.ssa.SrcFuncs {
			recv := fn.Signature.Recv()
			if recv == nil || fn.Parent() != nil || len(fn.Params) == 0 || !apiEntry(fn) || st.inTest(fn) {
				continue
			}
			t := types.Unalias(recv.Type())
			if p, ok := t.(*types.Pointer); ok {
				t = types.Unalias(p.Elem())
			}
			if rn, ok := t.(*types.Named); ok {
				o := rn.Origin().Obj()
				st.methodsOf[o] = append(st.methodsOf[o], fn)
			}
		}
	}
	return st.methodsOf[n.Origin().Obj()]
}

// checkAPICalls pairs as, a goroutine that ctor leaves running (cont is
// ctor's continuation after starting it), with the exported methods of
// the object ctor returns.
func (st *state) checkAPICalls(ctor *ssa.Function, as asyncSpawn, cont *context) {
	obj, named, ok := st.apiObject(ctor)
	starter := false
	if !ok {
		if obj, named, ok = st.apiReceiver(ctor); !ok {
			return
		}
		starter = true
	}
	var waits []event
	for _, q := range cont.events {
		if acquires(q.kind) {
			waits = append(waits, q) // the constructor waits for it before returning
		}
	}
	under := func(key string) bool {
		return strings.HasPrefix(key, obj.key) && len(key) > len(obj.key) && key[len(obj.key)] == '.'
	}
	for _, m := range st.apiMethods(named) {
		if starter && !stopMethod(m) {
			// A method that starts a goroutine on its receiver may be
			// set up by methods that must run before it; only those
			// that stop the object run while the goroutine does.
			continue
		}
		recv := m.Params[0]
		rk := "p:" + recv.Name()
		g := st.newContext(ctor, as.g.topFn, as.s)
		for _, a := range as.g.accesses {
			if !under(a.loc.key) || len(a.locks) > 0 || a.atomic {
				continue
			}
			a.loc = path{key: rk + a.loc.key[len(obj.key):], name: recv.Name() + strings.TrimPrefix(a.loc.name, obj.name), idx: a.loc.idx}
			g.accesses = append(g.accesses, a)
		}
		if len(g.accesses) == 0 {
			continue
		}
		for _, ev := range as.g.events {
			if ev.start {
				// The callback of a timer the constructor armed may
				// fire before any method resets it: a Reset orders
				// only the firings after it.
				continue
			}
			if under(ev.key) {
				ev.key = rk + ev.key[len(obj.key):]
			}
			g.events = append(g.events, ev)
		}
		st.pairAPI(ctor, as, g, m, st.methodContext(m), waits)
	}
}

// pairAPI reports the first conflict on each location between the
// goroutine's accesses g and method m's accesses mc.
func (st *state) pairAPI(ctor *ssa.Function, as asyncSpawn, g *context, m *ssa.Function, mc *context, waits []event) {
	for _, i := range writesFirst(g.accesses) {
		a := &g.accesses[i]
		key := ctor.String() + "|" + m.Name() + "|" + a.loc.key
		if st.apiDone[key] {
			continue
		}
		for _, j := range writesFirst(mc.accesses) {
			b := &mc.accesses[j]
			if len(b.locks) > 0 || b.atomic || !strings.HasPrefix(b.loc.key, "p:"+m.Params[0].Name()+".") || st.stateGuarded(m, b) {
				continue
			}
			if !st.conflict(a, g, b, mc, waits, nil) {
				continue
			}
			if st.apiDone == nil {
				st.apiDone = map[string]bool{}
			}
			st.apiDone[key] = true
			msg := fmt.Sprintf("unsynchronized %s: %s, which %s leaves running, %s %s, while the caller may call %s, which %s it",
				hazard(b), goroutineName(as.s), funcDisplay(ctor), verb(a), a.loc.name, funcDisplay(m), verb(b))
			st.report(ssax.ReportPos(b.instr), CatAPI, msg,
				analysis.RelatedInformation{Pos: ssax.ReportPos(a.instr), Message: fmt.Sprintf("the goroutine %s %s here", verb(a), a.loc.name)},
				related(as.s.Pos, "goroutine started here"))
			break
		}
	}
}

// methodContext walks method m whole, once per method: its accesses in
// terms of its receiver, for every goroutine it is paired with.
func (st *state) methodContext(m *ssa.Function) *context {
	if c, ok := st.methodCtxs[m]; ok {
		return c
	}
	c := st.newContext(m, m, nil)
	fr := &frame{c: c, fn: m, env: map[ssa.Value]path{}, root: true}
	fr.walk()
	if st.methodCtxs == nil {
		st.methodCtxs = map[*ssa.Function]*context{}
	}
	st.methodCtxs[m] = c
	return c
}

// stateGuarded reports whether the method's access b runs only past a
// test of the receiver's state whose other side panics (if s.URL != ""
// { panic("already started") }): a method for the object's unstarted
// state, which the constructor that left the goroutine running has
// already left behind.
func (st *state) stateGuarded(m *ssa.Function, b *access) bool {
	if b.top == nil || b.top.Block() == nil {
		return false
	}
	blk := b.top.Block()
	for d := blk.Idom(); d != nil; d = d.Idom() {
		ifi, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok || !ssax.ReadsField(ifi.Cond) {
			continue
		}
		for _, succ := range d.Succs {
			if !succ.Dominates(blk) && len(succ.Preds) == 1 && st.reach.panicOnly(succ) {
				return true
			}
		}
	}
	return false
}
