package sharedaccess

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/syncvet/syncvet/internal/ssax"
	"github.com/syncvet/syncvet/passes/lockset"
)

func (st *state) checkAnnotated(accs []*faccess, lock string) {
	done := map[*ssa.Function]bool{}
	for _, u := range accs {
		class := u.owner + "." + lock
		if !u.shared || u.mayHold(class) || done[u.fn] {
			continue
		}
		done[u.fn] = true
		msg := fmt.Sprintf("unsynchronized %s %s: %s %s it without %s.%s, which its +checklocks annotation requires",
			hz(u), u.name, funcDisplay(u.fn), vb(u.write), u.base, lock)
		st.report(ssax.ReportPos(u.instr), CatChecklock, msg)
	}
}

// annotations reads gVisor checklocks comments: "+checklocks:mu" on
// struct fields, "+checklocks:c.mu" and "+checklocksignore" on functions.
func (st *state) annotations() (map[*ssa.Function]funcNotes, map[*types.Var]string) {
	notes := map[*ssa.Function]funcNotes{}
	fields := map[*types.Var]string{}
	declFns := map[*ast.FuncDecl]*ssa.Function{}
	for _, fn := range st.ssa.SrcFuncs {
		if d, ok := fn.Syntax().(*ast.FuncDecl); ok {
			declFns[d] = fn
		}
	}
	for _, f := range st.pass.Files {
		if !strings.Contains(fileText(f), "+checklocks") {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.Field:
				for _, cg := range []*ast.CommentGroup{n.Doc, n.Comment} {
					for _, lock := range checklocks(cg, "+checklocks:") {
						for _, name := range n.Names {
							if v, ok := st.pass.TypesInfo.Defs[name].(*types.Var); ok && v.IsField() {
								fields[v] = lock
							}
						}
					}
				}
			case *ast.FuncDecl:
				fn := declFns[n]
				if fn == nil || n.Doc == nil {
					return true
				}
				var fnotes funcNotes
				if strings.Contains(n.Doc.Text(), "+checklocksignore") {
					fnotes.ignore = true
				}
				for _, prefix := range []string{"+checklocks:", "+checklocksread:"} {
					for _, ref := range checklocks(n.Doc, prefix) {
						if l, ok := st.annotatedLock(fn, ref, prefix == "+checklocksread:"); ok {
							fnotes.held = append(fnotes.held, l)
						}
					}
				}
				notes[fn] = fnotes
			}
			return true
		})
	}
	return notes, fields
}

func fileText(f *ast.File) string {
	var b strings.Builder
	for _, cg := range f.Comments {
		b.WriteString(cg.Text())
	}
	return b.String()
}

func checklocks(cg *ast.CommentGroup, prefix string) []string {
	if cg == nil {
		return nil
	}
	var out []string
	for _, c := range cg.List {
		text := c.Text
		for {
			i := strings.Index(text, prefix)
			if i < 0 {
				break
			}
			rest := text[i+len(prefix):]
			end := strings.IndexFunc(rest, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' || r == '\n' })
			if end < 0 {
				end = len(rest)
			}
			if rest[:end] != "" {
				out = append(out, rest[:end])
			}
			text = rest[end:]
		}
	}
	return out
}

// annotatedLock resolves "c.mu" (parameter c) or "mu" (the receiver's
// field) in fn to a lock class.
func (st *state) annotatedLock(fn *ssa.Function, ref string, read bool) (lockset.Lock, bool) {
	parts := strings.Split(ref, ".")
	var t types.Type
	if len(parts) == 1 {
		if len(fn.Params) == 0 || fn.Signature.Recv() == nil {
			return lockset.Lock{}, false
		}
		t = fn.Params[0].Type()
	} else {
		for _, p := range fn.Params {
			if p.Name() == parts[0] {
				t = p.Type()
			}
		}
		parts = parts[1:]
	}
	if t == nil {
		return lockset.Lock{}, false
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || len(parts) != 1 {
		return lockset.Lock{}, false
	}
	n = n.Origin()
	class := "(*" + n.Obj().Pkg().Path() + "." + n.Obj().Name() + ")." + parts[0]
	return lockset.Lock{Key: "annot:" + ref, Name: ref, Class: class, Read: read}, true
}
