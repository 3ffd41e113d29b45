package sharedaccess

import (
	"fmt"
	"go/token"
	"strconv"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/passes/goroutines"
)

func hazard(a *access) string {
	if a.loc.chanOp {
		if a.write {
			return "close of " + a.loc.name
		}
		return "send on " + a.loc.name
	}
	if a.write {
		return "write to " + a.loc.name
	}
	return "read of " + a.loc.name
}

func verb(a *access) string {
	if a.loc.chanOp {
		if a.write {
			return "closes"
		}
		return "sends on"
	}
	if a.write {
		return "writes"
	}
	return "reads"
}

func related(pos token.Pos, msg string) analysis.RelatedInformation {
	return analysis.RelatedInformation{Pos: pos, Message: msg}
}

// goroutineName names the goroutine s starts by the function it runs:
// "the goroutine running (*Server).loop". Its position travels as a
// related position, never in the text.
func goroutineName(s *goroutines.Spawn) string {
	switch {
	case s.Entry != nil:
		return "the goroutine running " + funcDisplay(s.Entry)
	case s.Parent != nil:
		return "a goroutine that " + funcDisplay(s.Parent) + " starts"
	}
	return "a goroutine"
}

// report records a finding; flushReports reports them.
func (st *state) report(pos token.Pos, cat, msg string, rel ...analysis.RelatedInformation) {
	key := strconv.Itoa(int(pos)) + msg
	if st.reported[key] || st.loopclosureOwns(pos) {
		return
	}
	st.reported[key] = true
	if st.atPos == nil {
		st.atPos = map[token.Pos][]analysis.Diagnostic{}
	}
	if st.atPos[pos] == nil {
		st.posOrder = append(st.posOrder, pos)
	}
	st.atPos[pos] = append(st.atPos[pos], analysis.Diagnostic{Pos: pos, Category: cat, Message: msg, Related: rel})
}

// flushReports reports one finding per access: the conflicts of one
// access with several others (other writers, other paths of a field
// the access writes whole) are one place to fix, reported at the first
// recorded, with the others counted and their first related position
// kept.
func (st *state) flushReports() {
	// One finding per root cause: a race between goroutines whose other
	// side is itself reported, as an access that skips the field's lock
	// or a plain write to an atomic field, is that finding's cause; the
	// finding at the access to mend stays.
	direct := map[token.Pos]bool{}
	for _, pos := range st.posOrder {
		for _, d := range st.atPos[pos] {
			if d.Category == CatGuard || d.Category == CatMixed {
				direct[pos] = true
			}
		}
	}
	for _, pos := range st.posOrder {
		ds := st.atPos[pos][:0:0]
		for _, d := range st.atPos[pos] {
			switch d.Category {
			case CatSpawn, CatInstances, CatSiblings:
				if len(d.Related) > 0 && direct[d.Related[0].Pos] && !direct[pos] {
					continue
				}
			}
			ds = append(ds, d)
		}
		if len(ds) == 0 {
			continue
		}
		d := ds[0]
		if n := len(ds) - 1; n > 0 {
			if n == 1 {
				d.Message += " (and 1 more conflict at this access)"
			} else {
				d.Message += fmt.Sprintf(" (and %d more conflicts at this access)", n)
			}
			seen := map[token.Pos]bool{}
			for _, r := range d.Related {
				seen[r.Pos] = true
			}
			for _, o := range ds[1:] {
				for _, r := range o.Related {
					if !seen[r.Pos] && len(d.Related) < maxSiblingRelated+2 {
						seen[r.Pos] = true
						d.Related = append(d.Related, r)
					}
				}
			}
		}
		st.pass.Report(d)
	}
	st.atPos, st.posOrder = nil, nil
}

// funcDisplay names fn in Go syntax: "run", "(*Cache).Get", or
// "(*Cache).Get.func1" (the one renderer, internal/names).
func funcDisplay(fn *ssa.Function) string { return names.Func(fn) }

// statement says how s started its goroutine, for "after ..." phrases.
func statement(s *goroutines.Spawn) string {
	switch s.Kind {
	case goroutines.KindGo:
		return "the go statement"
	case goroutines.KindWaitGroup, goroutines.KindErrgroup:
		return "the Go call"
	case goroutines.KindAfterFunc:
		return "the AfterFunc call"
	case goroutines.KindParallel:
		return "starting the subtest"
	case kindCall:
		if c, ok := s.Site.(*ssa.Call); ok {
			if callee := c.Call.StaticCallee(); callee != nil {
				return "calling " + funcDisplay(callee)
			}
		}
	}
	return "starting it"
}
