package goroutineleak

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/internal/syncapi"
)

// CatCancelField is the category of a goroutine that waits for a
// context whose cancel function is kept in a field that nothing calls.
const CatCancelField = "cancel-never-called"

// checkCancelFields reports goroutines that wait (a plain receive from
// ctx.Done()) for a context made by context.WithCancel (or WithTimeout,
// WithDeadline) whose cancel function goes into an unexported field
// that no code of the package calls: the field is only ever compared
// with nil, or never read. No other package can reach the field, so
// only the parent's cancellation can end the goroutine (vet's
// lostcancel, for a cancel kept in a field). A cancel that is read for
// anything else (called, deferred, passed on, copied) counts as called.
func (c *checker) checkCancelFields(funcs []*ssa.Function) {
	type made struct {
		store *ssa.Store
		call  *ssa.Call
	}
	var order []*types.Var
	stored := map[*types.Var][]made{}
	used := map[*types.Var]bool{}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				switch x := in.(type) {
				case *ssa.FieldAddr:
					f := ssax.FieldOf(x)
					if f == nil || f.Exported() || f.Pkg() != c.pass.Pkg || !syncapi.IsCancelFunc(f.Type()) {
						continue
					}
					if stored[f] == nil && !used[f] {
						order = append(order, f)
					}
					for _, r := range *x.Referrers() {
						switch r := r.(type) {
						case *ssa.Store:
							if r.Addr != x {
								used[f] = true
							} else if call := cancelOf(r.Val); call != nil {
								stored[f] = append(stored[f], made{r, call})
							} else if k, ok := r.Val.(*ssa.Const); !ok || !k.IsNil() {
								used[f] = true // another function: it may cancel
							}
						case *ssa.UnOp:
							if r.Op != token.MUL || !onlyNilChecked(r) {
								used[f] = true
							}
						case *ssa.DebugRef:
						default:
							used[f] = true
						}
					}
				case *ssa.Field:
					if f := ssax.StructField(x.X.Type(), x.Field); f != nil && syncapi.IsCancelFunc(f.Type()) {
						used[f] = true
					}
				}
			}
		}
	}
	for _, f := range order {
		if used[f] {
			continue
		}
		for _, m := range stored[f] {
			ctx := extractOf(m.call, 0)
			if ctx == nil {
				continue
			}
			for _, r := range *ctx.Referrers() {
				g, ok := r.(*ssa.Go)
				if !ok {
					continue
				}
				recv := waitsOnDone(g, ctx)
				if recv == nil {
					continue
				}
				c.report(analysis.Diagnostic{
					Pos:      g.Pos(),
					Category: CatCancelField,
					Message: fmt.Sprintf("goroutine leak: the goroutine waits for ctx.Done(), but the cancel function stored in the field %s is never called: only the parent context's end stops it",
						f.Name()),
					Related: []analysis.RelatedInformation{
						{Pos: recv.Pos(), Message: "waits here"},
						{Pos: m.store.Pos(), Message: "stored here; no code calls it"},
					},
				})
			}
		}
	}
}

// cancelOf returns the context.WithCancel (WithTimeout, WithDeadline)
// call whose cancel function v is, or nil.
func cancelOf(v ssa.Value) *ssa.Call {
	ex, ok := v.(*ssa.Extract)
	if !ok || ex.Index != 1 {
		return nil
	}
	call, ok := ex.Tuple.(*ssa.Call)
	if !ok {
		return nil
	}
	switch syncapi.Call(&call.Call).Kind {
	case syncapi.WithCancel, syncapi.WithTimeout, syncapi.WithDeadline:
		return call
	}
	return nil
}

// extractOf returns the extraction of result i of call, or nil.
func extractOf(call *ssa.Call, i int) *ssa.Extract {
	for _, r := range *call.Referrers() {
		if ex, ok := r.(*ssa.Extract); ok && ex.Index == i {
			return ex
		}
	}
	return nil
}

// onlyNilChecked reports whether the loaded value is only compared with
// nil.
func onlyNilChecked(load *ssa.UnOp) bool {
	for _, r := range *load.Referrers() {
		bin, ok := r.(*ssa.BinOp)
		if !ok || bin.Op != token.EQL && bin.Op != token.NEQ || !isNilConst(bin.X) && !isNilConst(bin.Y) {
			return false // (as comparedToNil, for every use)
		}
	}
	return true
}

// waitsOnDone returns the plain receive from ctx.Done() in the function
// that g starts with ctx as an argument, or nil: the goroutine's only
// way on is the context's end.
func waitsOnDone(g *ssa.Go, ctx ssa.Value) ssa.Instruction {
	fn := g.Call.StaticCallee()
	if fn == nil || len(fn.Blocks) == 0 || len(fn.Params) != len(g.Call.Args) {
		return nil
	}
	for i, a := range g.Call.Args {
		if a != ctx {
			continue
		}
		p := fn.Params[i]
		for _, b := range fn.Blocks {
			for _, in := range b.Instrs {
				u, ok := in.(*ssa.UnOp)
				if !ok || u.Op != token.ARROW {
					continue
				}
				call, ok := u.X.(*ssa.Call)
				if ok && call.Call.IsInvoke() && call.Call.Value == p &&
					syncapi.Call(&call.Call).Kind == syncapi.ContextDone {
					return u
				}
			}
		}
	}
	return nil
}
