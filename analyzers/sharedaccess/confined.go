package sharedaccess

import (
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// confined reports whether every access of accs, apart from those to an
// object not yet handed to anyone, runs on the goroutine of one go
// statement outside any loop: a buffer that a worker fills and drains
// by itself, taking the lock in its drain only for the other state the
// drain touches. An access made without the lock there races with
// nothing.
func (st *state) confined(accs []*faccess) bool {
	var site ssa.Instruction
	for _, a := range accs {
		if st.fresh(a) {
			continue
		}
		s, ok := st.confinedTo(ssax.Origin(a.fn), 0)
		if !ok || site != nil && s != site {
			return false
		}
		site = s
	}
	return site != nil
}

// confinedTo returns the go statement on whose goroutine alone fn runs:
// fn is unexported, used only by static calls and that go statement,
// named by no interface call of the package, and its callers are
// confined to the same go statement.
func (st *state) confinedTo(fn *ssa.Function, depth int) (ssa.Instruction, bool) {
	if depth > 4 || apiEntry(fn) || st.invokedByName(fn) {
		return nil, false
	}
	callers, known := st.callersOf(fn)
	if !known {
		return nil, false
	}
	var site ssa.Instruction
	for _, in := range st.siteIndex().sites[fn] {
		if g, isGo := in.(*ssa.Go); isGo {
			if site != nil || st.g.InLoop(g.Block()) {
				return nil, false
			}
			site = g
		}
	}
	for _, c := range callers {
		if c == fn {
			continue
		}
		s, ok := st.confinedTo(c, depth+1)
		if !ok || site != nil && s != site {
			return nil, false
		}
		site = s
	}
	return site, site != nil
}

// invokedByName reports whether fn is a method whose name some
// interface method call of the package uses: it may run wherever that
// call does.
func (st *state) invokedByName(fn *ssa.Function) bool {
	if fn.Signature.Recv() == nil {
		return false
	}
	if st.invoked == nil {
		st.invoked = map[string]bool{}
		for _, f := range st.ssa.SrcFuncs {
			for _, b := range f.Blocks {
				for _, in := range b.Instrs {
					if c, ok := in.(ssa.CallInstruction); ok && c.Common().IsInvoke() {
						st.invoked[c.Common().Method.Name()] = true
					}
				}
			}
		}
	}
	return st.invoked[fn.Name()]
}
