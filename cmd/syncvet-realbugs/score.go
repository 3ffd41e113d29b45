package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// A result is one bug's score.
type result struct {
	Bug   bug
	Found bool   // a finding of the check in the function, buggy release
	Gone  bool   // no such finding in the fixed release
	Buggy string // the first matching finding in the buggy release
	Fixed string // the first matching finding in the fixed release
	Err   string // why the bug could not be scored
}

// A span is the lines of one function declaration in one file.
type span struct {
	File       string
	Start, End int
}

// funcSpans returns the lines that the named functions of file occupy
// (their closures included), or an error naming one that is missing.
func funcSpans(file string, names []string) ([]span, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var spans []span
	for _, name := range names {
		recv, fn, err := parseFuncName(name)
		if err != nil {
			return nil, err
		}
		n := len(spans)
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if ok && fd.Name.Name == fn && recvName(fd) == recv {
				spans = append(spans, span{file, fset.Position(fd.Pos()).Line, fset.Position(fd.End()).Line})
			}
		}
		if len(spans) == n {
			return nil, fmt.Errorf("no function %s in %s", name, filepath.Base(file))
		}
	}
	return spans, nil
}

// recvName returns the name of fd's receiver type, "" for a function.
func recvName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	t := fd.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.ParenExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

// within reports whether posn ("file:line:col") lies in one of spans.
func within(posn string, spans []span) bool {
	rest, _, ok := cutLast(posn, ":") // column
	if !ok {
		return false
	}
	file, lineStr, ok := cutLast(rest, ":")
	if !ok {
		return false
	}
	line, err := strconv.Atoi(lineStr)
	if err != nil {
		return false
	}
	for _, s := range spans {
		if filepath.Clean(file) == filepath.Clean(s.File) && s.Start <= line && line <= s.End {
			return true
		}
	}
	return false
}

func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// match returns the first finding of check at or related to spans.
func match(diags []diagnostic, check string, spans []span) (diagnostic, bool) {
	for _, d := range diags {
		if d.Check != check {
			continue
		}
		if within(d.Posn, spans) {
			return d, true
		}
		for _, r := range d.Related {
			if within(r.Posn, spans) {
				return d, true
			}
		}
	}
	return diagnostic{}, false
}

// score judges every bug on the runs of its two releases.
func score(bugs []bug, runs map[string]unitRun) []result {
	var results []result
	for _, b := range bugs {
		res := result{Bug: b}
		var found [2]bool
		var msgs [2]string
		for i, v := range []string{b.Buggy, b.Fixed} {
			run := runs[b.Module+"@"+v]
			if run.Err != nil {
				res.Err = fmt.Sprintf("%s: %v", v, run.Err)
				break
			}
			spans, err := funcSpans(filepath.Join(run.Dir, filepath.FromSlash(b.File)), b.Funcs)
			if err != nil {
				res.Err = fmt.Sprintf("%s: %v", v, err)
				break
			}
			if d, ok := match(run.Diags, b.Check, spans); ok {
				found[i] = true
				msgs[i] = relPosn(d.Posn, run.Dir) + ": " + d.Message
			}
		}
		if res.Err == "" {
			res.Found, res.Gone = found[0], !found[1]
			res.Buggy, res.Fixed = msgs[0], msgs[1]
		}
		results = append(results, res)
	}
	return results
}

// relPosn makes posn relative to the module's directory.
func relPosn(posn, dir string) string {
	if rel, ok := strings.CutPrefix(posn, dir+string(filepath.Separator)); ok {
		return filepath.ToSlash(rel)
	}
	return posn
}

// render writes the results as a Markdown report.
func render(results []result, runs map[string]unitRun, from string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# syncvet on real bugs\n\n")
	fmt.Fprintf(&b, "syncvet: %s. Table: testdata/realbugs/bugs.tsv. Made by `go run ./cmd/syncvet-realbugs -o testdata/realbugs/results.md`.\n\n", from)
	fmt.Fprintf(&b, "found: a finding of the check in the function (or with a related position in it) in the buggy release; gone: no such finding in the fixed release.\n\n")
	fmt.Fprintf(&b, "| bug | module | buggy → fixed | function | check | found | gone | finding in the buggy release |\n")
	fmt.Fprintf(&b, "|---|---|---|---|---|---|---|---|\n")
	var nFound, nGone, nBoth, nErr int
	perCheck := map[string][2]int{}
	var checks []string
	for _, r := range results {
		bg := r.Bug
		found, gone, msg := yesNo(r.Found), yesNo(r.Gone), r.Buggy
		if r.Err != "" {
			found, gone, msg = "error", "error", r.Err
			nErr++
		}
		if r.Fixed != "" {
			msg += " (still at the fix: " + r.Fixed + ")"
		}
		fmt.Fprintf(&b, "| [%s](%s) | %s | %s → %s | %s | %s | %s | %s | %s |\n",
			bg.ID, bg.Fix, bg.Module, bg.Buggy, bg.Fixed, "`"+bg.File+"` "+strings.Join(bg.Funcs, ", "),
			bg.Check, found, gone, mdEscape(msg))
		if _, ok := perCheck[bg.Check]; !ok {
			checks = append(checks, bg.Check)
		}
		c := perCheck[bg.Check]
		c[1]++
		if r.Found {
			nFound++
			if r.Gone {
				nBoth++
				c[0]++
			}
		}
		if r.Gone && r.Err == "" {
			nGone++
		}
		perCheck[bg.Check] = c
	}
	n := len(results)
	fmt.Fprintf(&b, "\nTotals over %d bugs: found %d, gone at the fix %d, found and gone %d (%s)", n, nFound, nGone, nBoth, percent(nBoth, n))
	if nErr > 0 {
		fmt.Fprintf(&b, "; %d not scored (error)", nErr)
	}
	b.WriteString(".\n\nFound and gone by check:")
	for i, c := range checks {
		sep := ","
		if i == 0 {
			sep = ""
		}
		fmt.Fprintf(&b, "%s %s %d/%d", sep, c, perCheck[c][0], perCheck[c][1])
	}
	b.WriteString(".\n")
	var keys []string
	for k, r := range runs {
		if r.Note != "" {
			keys = append(keys, k)
		}
	}
	if len(keys) > 0 {
		sort.Strings(keys)
		b.WriteString("\nReleases on which syncvet did not finish cleanly (findings it printed still count):\n\n")
		for _, k := range keys {
			fmt.Fprintf(&b, "- %s: %s\n", k, mdEscape(runs[k].Note))
		}
	}
	return b.String()
}

func yesNo(v bool) string {
	if v {
		return "yes"
	}
	return "no"
}

func percent(a, n int) string {
	if n == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(a)/float64(n))
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
