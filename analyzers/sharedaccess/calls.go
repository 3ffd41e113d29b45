package sharedaccess

import (
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
)

// siteIndex is the one index of the package's static call sites, which
// entry-lock inference (entryHeld), the callers' walks (callersOf) and
// the lazy set-up test (reachedAfter) all read.
type siteIndex struct {
	// sites holds, by the callee's origin, the calls, defers and go
	// statements that name it statically.
	sites map[*ssa.Function][]ssa.Instruction
	// escaped holds the functions used as values (stored, passed,
	// bound, returned): their callers cannot be listed. A function
	// literal that is only called or started where it is made
	// (func() {...}(), go func() {...}()) does not escape.
	escaped map[*ssa.Function]bool
	// callers holds, by origin, the functions whose calls or defers
	// name the callee: the callers on its own goroutine.
	callers map[*ssa.Function][]*ssa.Function
}

// siteIndex builds the index once.
func (st *state) siteIndex() *siteIndex {
	if st.sites != nil {
		return st.sites
	}
	idx := &siteIndex{
		sites:   map[*ssa.Function][]ssa.Instruction{},
		escaped: map[*ssa.Function]bool{},
		callers: map[*ssa.Function][]*ssa.Function{},
	}
	for _, f := range st.ssa.SrcFuncs {
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				ops := instr.Operands(nil)
				switch x := instr.(type) {
				case ssa.CallInstruction:
					if callee := x.Common().StaticCallee(); callee != nil {
						o := ssax.Origin(callee)
						idx.sites[o] = append(idx.sites[o], instr)
						if _, isGo := instr.(*ssa.Go); !isGo {
							idx.callers[o] = append(idx.callers[o], ssax.Origin(f))
						}
						ops = ops[1:]
					}
				case *ssa.MakeClosure:
					// A literal's sites are the calls and go statements
					// of its value; any other use lets it escape.
					ops = ops[1:]
					for _, r := range *x.Referrers() {
						c, ok := r.(ssa.CallInstruction)
						if _, dbg := r.(*ssa.DebugRef); !dbg && (!ok || c.Common().Value != x) {
							idx.escaped[ssax.Origin(x.Fn.(*ssa.Function))] = true
						}
					}
				}
				for _, op := range ops {
					if *op == nil {
						continue
					}
					if _, ok := (*op).(*ssa.MakeClosure); ok {
						continue // followed above
					}
					if g, _ := ssax.FuncOf(*op); g != nil {
						idx.escaped[ssax.Origin(g)] = true
					}
				}
			}
		}
	}
	st.sites = idx
	return idx
}

// callersOf returns the functions of the package that call fn
// statically (by origin) on their own goroutine, and false when fn is
// also used as a value, whose callers cannot be listed.
func (st *state) callersOf(fn *ssa.Function) ([]*ssa.Function, bool) {
	idx := st.siteIndex()
	return idx.callers[fn], !idx.escaped[fn]
}
