package goroutineleak

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/passes/goroutines"
)

// CatOneSided is the category of an operation on a channel field that
// the package only ever sends on, or only ever receives from.
const CatOneSided = "one-sided"

// checkOneSided reports the plain sends on an unexported channel field
// that the package makes unbuffered and never receives from (closing it
// serves no sender), and the plain receives from one that the package
// never sends on or closes: no code outside the package can reach the
// field, so each blocks for ever. Receives from what a getter returns
// receive-only (<-s.Done()) are receives from the field; other code can
// only receive through it. A field whose value goes anywhere else (a
// variable, a call, another result), or that is stored anything but a
// make made for it (or nil), is left alone, as is a case of a select,
// which may take another case.
func (c *checker) checkOneSided(funcs []*ssa.Function) {
	fields := map[*types.Var]*ssax.FieldChan{}
	var order []*types.Var
	get := func(f *types.Var) *ssax.FieldChan {
		if f == nil || f.Exported() || f.Pkg() != c.pass.Pkg {
			return nil
		}
		if _, ok := types.Unalias(f.Type()).Underlying().(*types.Chan); !ok {
			return nil
		}
		u := fields[f]
		if u == nil {
			u = &ssax.FieldChan{}
			fields[f] = u
			order = append(order, f)
		}
		return u
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				switch x := in.(type) {
				case *ssa.FieldAddr:
					if !namedStructField(x) {
						continue // (see namedStructField)
					}
					if u := get(ssax.FieldOf(x)); u != nil {
						u.AddAddr(x)
					}
				case *ssa.Field:
					if _, named := types.Unalias(x.X.Type()).(*types.Named); !named {
						continue
					}
					if u := get(ssax.StructField(x.X.Type(), x.Field)); u != nil {
						u.AddValue(x)
					}
				}
			}
		}
	}
	var getterRecvs map[*ssa.Function][]ssax.ChanOp
	unserved := map[*types.Var]bool{} // fields nothing sends on or closes
	for _, f := range order {
		u := fields[f]
		made, unbuffered, ok := madeForField(u.Stores)
		if u.Unknown || !ok || made == 0 {
			continue
		}
		sends, selSends := splitSelect(u.Sends)
		recvs, selRecvs := splitSelect(u.Recvs)
		if len(sends)+selSends == 0 && len(u.Closes) == 0 && len(u.Getters) == 0 {
			unserved[f] = true
		}
		if len(u.Getters) > 0 {
			if getterRecvs == nil {
				getterRecvs = receivesOfCalls(funcs)
			}
			for _, g := range u.Getters {
				r, sr := splitSelect(getterRecvs[g])
				recvs = append(recvs, r...)
				selRecvs += sr
			}
		}
		switch {
		case len(sends) > 0 && len(recvs)+selRecvs == 0 && len(u.Getters) == 0 && unbuffered:
			// A close does not serve a sender: it makes the send panic.
			c.reportOneSided(f, sends, "the send on %s blocks for ever: the package makes it unbuffered and no code receives from it")
		case len(sends) > 0 && len(recvs)+selRecvs == 0 && len(u.Getters) == 0 && repeatable(sends, u.Stores, c.g):
			// Buffered, but nothing ever empties the buffer: the sends
			// that can outnumber it block once it is full.
			c.reportOneSided(f, sends, "the send on %s blocks once its buffer fills: no code receives from it")
		case len(recvs) > 0 && len(sends)+selSends == 0 && len(u.Closes) == 0:
			c.reportOneSided(f, recvs, "the receive from %s blocks for ever: no code sends on it or closes it")
		case len(sends) > 0 && unbuffered && len(recvs) == 0:
			c.serverQuits(f, u, sends, fields)
		case len(recvs) > 0 && len(sends)+selSends == 0 && len(u.Getters) == 0:
			c.closeSkipped(f, u, recvs)
		}
	}
	c.deadSelects(funcs, unserved)
}

// deadSelects reports a select without default whose every case
// receives from a channel field that nothing in the package sends on or
// closes (unserved): no case can ever proceed.
func (c *checker) deadSelects(funcs []*ssa.Function, unserved map[*types.Var]bool) {
	if len(unserved) == 0 {
		return
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				sel, ok := in.(*ssa.Select)
				if !ok || !sel.Blocking || len(sel.States) < 2 {
					continue
				}
				var names []string
				for _, st := range sel.States {
					f := ssax.FieldOfValue(st.Chan)
					if st.Dir != types.RecvOnly || f == nil || !unserved[f] {
						names = nil
						break
					}
					if n := f.Name(); !slices.Contains(names, n) {
						names = append(names, n)
					}
				}
				if names == nil {
					continue
				}
				c.report(analysis.Diagnostic{
					Pos:      sel.Pos(),
					Category: CatOneSided,
					Message:  fmt.Sprintf("goroutine leak: the select blocks for ever: no code sends on or closes %s", strings.Join(names, " or ")),
				})
			}
		}
	}
}

// receivesOfCalls indexes the receives, plain or in a select, from the
// results of static calls: <-s.Done() is a receive on what Done returns.
func receivesOfCalls(funcs []*ssa.Function) map[*ssa.Function][]ssax.ChanOp {
	out := map[*ssa.Function][]ssax.ChanOp{}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				switch x := in.(type) {
				case *ssa.UnOp:
					if x.Op == token.ARROW {
						if g := calledFor(x.X); g != nil {
							out[g] = append(out[g], ssax.ChanOp{Instr: x})
						}
					}
				case *ssa.Select:
					for _, st := range x.States {
						if st.Dir == types.RecvOnly {
							if g := calledFor(st.Chan); g != nil {
								out[g] = append(out[g], ssax.ChanOp{Instr: x, InSelect: true})
							}
						}
					}
				}
			}
		}
	}
	return out
}

// calledFor returns the function whose static call yields v (through
// conversions), or nil.
func calledFor(v ssa.Value) *ssa.Function {
	call, ok := ssax.Unwrap(v, ssax.WrapChangeType).(*ssa.Call)
	if !ok {
		return nil
	}
	if fn := call.Call.StaticCallee(); fn != nil {
		return fn
	}
	return nil
}

// madeForField judges the stores into a channel field: each a make that
// goes nowhere but into the field, or nil. It returns the number of
// makes and whether all are unbuffered; ok is false for any other store.
func madeForField(stores []*ssa.Store) (made int, unbuffered, ok bool) {
	unbuffered = true
	for _, st := range stores {
		mk, isMake := ssax.Unwrap(st.Val, ssax.WrapChangeType).(*ssa.MakeChan)
		if !isMake {
			if k, isConst := st.Val.(*ssa.Const); isConst && k.IsNil() {
				continue // set to nil: no channel to block on, or the nil check's finding
			}
			return 0, false, false
		}
		if !onlyStored(mk, st) {
			return 0, false, false // the channel is used beside the field too
		}
		made++
		if size, ok := constSize(mk); !ok || size != 0 {
			unbuffered = false
		}
	}
	return made, unbuffered, true
}

// repeatable reports whether the sends may outnumber any buffer: one
// is in a loop, or in a function other than those that store the made
// channel into the field, which may run any number of times after it.
func repeatable(sends []ssa.Instruction, stores []*ssa.Store, g *goroutines.Result) bool {
	makers := map[*ssa.Function]bool{}
	for _, st := range stores {
		makers[st.Parent()] = true
	}
	for _, s := range sends {
		if g.InLoop(s.Block()) || !makers[s.Parent()] {
			return true
		}
	}
	return false
}

// splitSelect returns the plain operations of ops, and how many are
// cases of a select.
func splitSelect(ops []ssax.ChanOp) (plain []ssa.Instruction, inSelect int) {
	for _, op := range ops {
		if op.InSelect {
			inSelect++
			continue
		}
		plain = append(plain, op.Instr)
	}
	return plain, inSelect
}

func (c *checker) reportOneSided(f *types.Var, ops []ssa.Instruction, format string) {
	c.report(analysis.Diagnostic{
		Pos:      ops[0].Pos(),
		Category: CatOneSided,
		Message:  "goroutine leak: " + fmt.Sprintf(format, f.Name()),
		Related:  alsoBlocks(nil, ops[1:]),
	})
}

// alsoBlocks appends the operations ops, which block like the one
// reported, to related: the first three, then a count of the rest.
func alsoBlocks(related []analysis.RelatedInformation, ops []ssa.Instruction) []analysis.RelatedInformation {
	for i, op := range ops {
		if i == 3 {
			return append(related, analysis.RelatedInformation{Pos: op.Pos(), Message: fmt.Sprintf("and %d more like it", len(ops)-i)})
		}
		related = append(related, analysis.RelatedInformation{Pos: op.Pos(), Message: "also blocks here"})
	}
	return related
}

// onlyStored reports whether the made channel v goes nowhere but into
// the store st (through conversions).
func onlyStored(v ssa.Value, st *ssa.Store) bool {
	refs := v.Referrers()
	if refs == nil {
		return true
	}
	for _, r := range *refs {
		switch x := r.(type) {
		case *ssa.DebugRef:
		case *ssa.ChangeType:
			if !onlyStored(x, st) {
				return false
			}
		case *ssa.Store:
			if x != st {
				return false
			}
		default:
			return false
		}
	}
	return true
}
