package overlock

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/passes/blocking"
	"github.com/syncvet/syncvet/passes/lockset"
)

// A token lock guards no memory: no function of the package writes
// shared memory while holding it, directly or through a call to a
// same-package function that writes through a pointer, and every
// function that takes it does blocking work while holding it. Such a mutex
// exists to serialise a protocol (io.Pipe's writer mutex lets one
// Write's send and acknowledgement pair up), so holding it across that
// protocol's blocking steps is its purpose. The exemption is lifted when
// the package also operates on the same channel field in the opposite
// direction under the same lock class: both sides then wait for each
// other while holding it.
type tokens struct {
	pkg    string
	guards map[string]bool // lock class -> some write happens under it
	plain  map[string]bool // lock class -> some function takes it and never blocks holding it
	// dirs[lockClass][chanClass] is a bit set of directions (1 send,
	// 2 receive) of channel operations made holding the lock.
	dirs map[string]map[string]int
}

func newTokens(pkgPath string, fns []*ssa.Function, ls *lockset.Result, bl *blocking.Result) *tokens {
	t := &tokens{pkg: pkgPath, guards: map[string]bool{}, plain: map[string]bool{}, dirs: map[string]map[string]int{}}
	writes := map[*ssa.Function]bool{}
	for _, fn := range fns {
		writes[fn] = writesShared(fn)
	}
	for _, fn := range fns {
		fl := ls.Func(fn)
		if fl == nil || len(fl.Events()) == 0 {
			continue
		}
		blockedUnder := map[string]bool{}
		for _, op := range bl.Ops(fn) {
			if op.Buffered {
				continue
			}
			for _, l := range fl.MustHeld(op.Instr) {
				blockedUnder[l.Class] = true
			}
		}
		for _, e := range fl.Events() {
			if (e.Kind == lockset.Acquire || e.Kind == lockset.TryAcquire) && !blockedUnder[e.Lock.Class] {
				t.plain[e.Lock.Class] = true
			}
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				held := fl.MustHeld(instr)
				if len(held) == 0 {
					continue
				}
				w := false
				switch x := instr.(type) {
				case *ssa.Store:
					w = !localAlloc(x.Addr)
				case *ssa.MapUpdate:
					w = true
				case *ssa.Call:
					if callee := x.Call.StaticCallee(); callee != nil {
						o := callee
						if orig := callee.Origin(); orig != nil {
							o = orig
						}
						w = writes[o]
					}
				}
				if w {
					for _, l := range held {
						t.guards[l.Class] = true
					}
				}
				for ch, dir := range chanOps(instr) {
					for _, l := range held {
						m := t.dirs[l.Class]
						if m == nil {
							m = map[string]int{}
							t.dirs[l.Class] = m
						}
						m[ch] |= dir
					}
				}
			}
		}
	}
	return t
}

// exempt reports whether holding l across op's channel operations (or
// other blocking work) is a token lock doing its job.
func (t *tokens) exempt(l lockset.Lock, instr ssa.Instruction) bool {
	if l.Unknown || strings.HasPrefix(l.Class, "*") || !t.ownClass(l.Class) || t.guards[l.Class] || t.plain[l.Class] {
		return false
	}
	for ch := range chanOps(instr) {
		if t.dirs[l.Class][ch] == 3 {
			return false
		}
	}
	return true
}

// ownClass reports whether a lock class belongs to the analysed package,
// so that every write under it is visible here.
func (t *tokens) ownClass(class string) bool {
	c := strings.TrimPrefix(strings.TrimPrefix(class, "("), "*")
	return strings.HasPrefix(c, t.pkg+".") && !strings.Contains(c[len(t.pkg)+1:], "/")
}

// writesShared reports whether fn's own body stores through a pointer
// that is not a local variable of fn.
func writesShared(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Store:
				if !localAlloc(x.Addr) {
					return true
				}
			case *ssa.MapUpdate:
				return true
			}
		}
	}
	return false
}

// chanOps returns the channel field classes an instruction operates on
// directly, with their directions (1 send, 2 receive).
func chanOps(instr ssa.Instruction) map[string]int {
	var m map[string]int
	add := func(v ssa.Value, dir int) {
		if c := chanClass(v); c != "" {
			if m == nil {
				m = map[string]int{}
			}
			m[c] |= dir
		}
	}
	switch x := instr.(type) {
	case *ssa.Send:
		add(x.Chan, 1)
	case *ssa.UnOp:
		if x.Op == token.ARROW {
			add(x.X, 2)
		}
	case *ssa.Select:
		for _, st := range x.States {
			if st.Dir == types.SendOnly {
				add(st.Chan, 1)
			} else {
				add(st.Chan, 2)
			}
		}
	}
	return m
}

// chanClass names a channel loaded from a struct field: "(*pkg.T).f".
func chanClass(v ssa.Value) string {
	for {
		ct, ok := v.(*ssa.ChangeType)
		if !ok {
			break
		}
		v = ct.X
	}
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return ""
	}
	fa, ok := load.X.(*ssa.FieldAddr)
	if !ok {
		return ""
	}
	pt, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return ""
	}
	n, ok := types.Unalias(pt.Elem()).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return ""
	}
	st, ok := n.Underlying().(*types.Struct)
	if !ok || fa.Field >= st.NumFields() {
		return ""
	}
	return "(*" + n.Obj().Pkg().Path() + "." + n.Obj().Name() + ")." + st.Field(fa.Field).Name()
}
