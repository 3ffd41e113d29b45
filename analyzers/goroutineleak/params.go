package goroutineleak

import (
	"fmt"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/factscope"
)

// ParamUse is what a function does with one of its channel parameters:
// a set of Use bits, for the parameter at Index (receiver first).
type ParamUse struct {
	Index int
	Uses  Use
}

// Use is one thing a function does with a channel parameter.
type Use uint8

// The uses a ChanUse fact records.
const (
	UseSend     Use = 1 << iota // sends on it
	UseRecv                     // receives from it
	UseClose                    // closes it
	UseGuarded                  // an operation in a select with another case or a default
	UseSendLoop                 // sends in a loop
	UseRecvLoop                 // receives in a loop
	UseRange                    // receives in a loop that only ends when the channel is closed
)

// Has reports whether the parameter has all of the uses u.
func (p ParamUse) Has(u Use) bool { return p.Uses&u == u }

// ChanUse is the fact that a function does only known things with some
// of its channel parameters: those listed, in increasing Index. A
// parameter not listed goes somewhere the check cannot follow.
type ChanUse struct {
	Params []ParamUse
}

// AFact marks ChanUse as an analysis fact.
func (*ChanUse) AFact() {}

func (f *ChanUse) String() string {
	var parts []string
	for _, p := range f.Params {
		var bits []string
		for _, b := range []struct {
			u    Use
			name string
		}{{UseSend, "send"}, {UseRecv, "recv"}, {UseClose, "close"}, {UseGuarded, "guarded"}, {UseSendLoop, "sendloop"}, {UseRecvLoop, "recvloop"}, {UseRange, "range"}} {
			if p.Has(b.u) {
				bits = append(bits, b.name)
			}
		}
		parts = append(parts, fmt.Sprintf("%d:%s", p.Index, strings.Join(bits, "+")))
	}
	return "chanUse(" + strings.Join(parts, " ") + ")"
}

// paramUse returns what callee does with its parameter i: from the
// callee's own code when it belongs to this package (summarized once,
// recursion counting as unknown), else from its ChanUse fact.
func (c *checker) paramUse(callee *ssa.Function, i int) (ParamUse, bool) {
	if o := callee.Origin(); o != nil {
		callee = o
	}
	if callee.Pkg == nil || callee.Pkg.Pkg != c.pass.Pkg {
		obj, ok := callee.Object().(*types.Func)
		if !ok {
			return ParamUse{}, false
		}
		var fact ChanUse
		if !c.pass.ImportObjectFact(obj, &fact) {
			return ParamUse{}, false
		}
		for _, p := range fact.Params {
			if p.Index == i {
				return p, true
			}
		}
		return ParamUse{}, false
	}
	for _, p := range c.summarize(callee) {
		if p.Index == i {
			return p, true
		}
	}
	return ParamUse{}, false
}

// summarize returns what fn, of this package, does with its channel
// parameters, memoized.
func (c *checker) summarize(fn *ssa.Function) []ParamUse {
	if got, ok := c.summaries[fn]; ok {
		return got
	}
	if c.summaries == nil {
		c.summaries = map[*ssa.Function][]ParamUse{}
	}
	c.summaries[fn] = nil // in progress: a recursive call is unknown
	var out []ParamUse
	for i, p := range fn.Params {
		if _, ok := types.Unalias(p.Type()).Underlying().(*types.Chan); !ok || len(fn.Blocks) == 0 {
			continue
		}
		u := uses{params: c.paramUse}
		collect(p, &u, nil)
		if u.escapes || len(u.returned) > 0 {
			continue
		}
		var pu ParamUse
		pu.Index = i
		for _, op := range u.sends {
			pu.Uses |= UseSend
			if b, _ := op.at(); op.loop || c.g.InLoop(b) {
				pu.Uses |= UseSendLoop
			}
		}
		ranges := len(u.recvs) > 0
		for _, op := range u.recvs {
			pu.Uses |= UseRecv
			b, _ := op.at()
			if op.loop || c.g.InLoop(b) {
				pu.Uses |= UseRecvLoop
			}
			if !op.ranges && !(op.ok && c.g.InLoop(b) && onlyExitByClose(fn, op)) {
				ranges = false
			}
		}
		if ranges && len(u.recvs) == 1 {
			pu.Uses |= UseRange | UseRecvLoop
		}
		if len(u.closes) > 0 {
			pu.Uses |= UseClose
		}
		if u.guarded {
			pu.Uses |= UseGuarded
		}
		if pu.Uses != 0 {
			out = append(out, pu)
		}
	}
	c.summaries[fn] = out
	return out
}

// exportChanUses exports the ChanUse facts of the package's exported
// functions and methods, unless no other package can import them
// (paramUse summarizes this package's functions itself).
func (c *checker) exportChanUses(funcs []*ssa.Function) {
	if !factscope.Importable(c.pass) {
		return
	}
	for _, fn := range funcs {
		obj, ok := fn.Object().(*types.Func)
		if !ok || !obj.Exported() || fn.Parent() != nil || fn.Origin() != nil {
			continue // only other packages need it
		}
		if ps := c.summarize(fn); len(ps) > 0 {
			c.pass.ExportObjectFact(obj, &ChanUse{Params: ps})
		}
	}
}
