package analyzers

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// IgnoreDirective starts a comment that silences checks:
//
//	//syncvet:ignore NAME[,NAME...] reason
//
// On a finding's line, or alone on the line above it, it silences the
// named checks' findings on that line; in the doc comment of a
// declaration (func, type, var, const, struct field) it silences them
// in the whole declaration. The reason is required: a directive without
// one silences nothing and is itself reported, by each check it names,
// with category "directive". Names are matched without regard to case.
const IgnoreDirective = "//syncvet:ignore"

// CategoryDirective is the Category of a finding about a malformed
// //syncvet:ignore directive.
const CategoryDirective = "directive"

// ignore is one //syncvet:ignore directive that names the running check.
type ignore struct {
	comment *ast.Comment
	group   *ast.CommentGroup
	reason  string
	file    *token.File
	line    int
	// lines covered: line, and line+1 when the comment is alone on its line.
	alone bool
	// from, to: the declaration whose doc comment holds the directive.
	from, to token.Pos
}

// parseIgnore splits the text of a comment into the check names and the
// reason of a //syncvet:ignore directive; ok is false for other comments.
func parseIgnore(text string) (names []string, reason string, ok bool) {
	rest, found := strings.CutPrefix(text, IgnoreDirective)
	if !found || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
		return nil, "", false
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return nil, "", true
	}
	for _, n := range strings.Split(fields[0], ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	reason = strings.TrimSpace(strings.TrimPrefix(strings.Join(fields[1:], " "), "//"))
	return names, reason, true
}

// suppress makes pass drop the findings of the check named name that a
// //syncvet:ignore directive with a reason silences, and report the
// directives naming it that lack a reason. It changes nothing when no
// file of the package names the check in a directive.
func suppress(pass *analysis.Pass, name string) {
	var ignores []*ignore
	for _, f := range pass.Files {
		var here []*ignore
		for _, g := range f.Comments {
			for _, c := range g.List {
				if !strings.HasPrefix(c.Text, IgnoreDirective) {
					continue
				}
				names, reason, ok := parseIgnore(c.Text)
				if !ok || !namesCheck(names, name) {
					continue
				}
				tf := pass.Fset.File(c.Pos())
				if tf == nil {
					continue
				}
				here = append(here, &ignore{comment: c, group: g, reason: reason, file: tf, line: tf.Line(c.Pos())})
			}
		}
		if len(here) > 0 {
			placeIgnores(f, here)
			ignores = append(ignores, here...)
		}
	}
	if len(ignores) == 0 {
		return
	}
	report := pass.Report
	var valid []*ignore
	for _, ig := range ignores {
		if ig.reason == "" {
			report(analysis.Diagnostic{
				Pos:      ig.comment.Pos(),
				End:      ig.comment.End(),
				Category: CategoryDirective,
				Message: fmt.Sprintf("suppression of %s gives no reason, so it silences nothing: write %s %s <why the finding is wrong here>",
					name, IgnoreDirective, name),
			})
			continue
		}
		valid = append(valid, ig)
	}
	if len(valid) == 0 {
		return
	}
	pass.Report = func(d analysis.Diagnostic) {
		for _, ig := range valid {
			if ig.silences(pass.Fset, d.Pos) {
				return
			}
		}
		report(d)
	}
}

// namesCheck reports whether names includes the check name.
func namesCheck(names []string, name string) bool {
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// silences reports whether the directive covers a finding at pos.
func (ig *ignore) silences(fset *token.FileSet, pos token.Pos) bool {
	if !pos.IsValid() || fset.File(pos) != ig.file {
		return false
	}
	if ig.from.IsValid() && ig.from <= pos && pos < ig.to {
		return true
	}
	l := ig.file.Line(pos)
	return l == ig.line || (ig.alone && l == ig.line+1)
}

// placeIgnores works out, for the directives of file f, whether each is
// alone on its line and which declaration's doc comment holds it.
func placeIgnores(f *ast.File, igs []*ignore) {
	docs := make(map[*ast.CommentGroup][]*ignore)
	for _, ig := range igs {
		docs[ig.group] = append(docs[ig.group], ig)
		ig.alone = true
	}
	// code marks the directives that follow code at p on p's line.
	code := func(p token.Pos) {
		if !p.IsValid() {
			return
		}
		for _, ig := range igs {
			if ig.alone && p < ig.comment.Pos() && ig.file.Line(p) == ig.line {
				ig.alone = false
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		switch n.(type) {
		case *ast.Comment, *ast.CommentGroup:
			return false
		}
		var doc *ast.CommentGroup
		switch n := n.(type) {
		case *ast.FuncDecl:
			doc = n.Doc
		case *ast.GenDecl:
			doc = n.Doc
		case *ast.TypeSpec:
			doc = n.Doc
		case *ast.ValueSpec:
			doc = n.Doc
		case *ast.Field:
			doc = n.Doc
		}
		if doc != nil {
			for _, ig := range docs[doc] {
				ig.from, ig.to = n.Pos(), n.End()
			}
		}
		code(n.Pos())
		code(n.End() - 1)
		return true
	})
}
