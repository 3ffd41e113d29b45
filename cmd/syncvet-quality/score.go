package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
)

// scoredCheck is the check whose findings the race corpus scores.
const scoredCheck = "sharedaccess"

// finding is one diagnostic of the syncvet JSON output, reduced to what
// scoring needs.
type finding struct {
	Check   string
	Path    string // as syncvet printed it
	File    string // base name
	Line    int
	Col     int
	Message string
}

// funcDecl is a top-level function or method of a corpus file: its
// extent, and the names of what its body calls.
type funcDecl struct {
	Name       string // "f", or "T.m" for a method
	File       string // base name
	Start, End token.Position
	key        string          // "f", or ".m" for a method: how calls name it
	calls      map[string]bool // keys of the calls in its body: "f" for f(...), ".m" for x.m(...)
}

// isScored reports whether a function is one of the corpus's scored
// tests: TestRace* (racy) or TestNoRace* (clean).
func isScored(name string) bool {
	return strings.HasPrefix(name, "TestRace") || strings.HasPrefix(name, "TestNoRace")
}

// isRacy reports whether a scored test is one the race detector must
// flag.
func isRacy(name string) bool { return strings.HasPrefix(name, "TestRace") }

// parseFuncs returns the top-level functions of one Go source file.
func parseFuncs(fset *token.FileSet, filename string, src []byte) ([]*funcDecl, error) {
	f, err := parser.ParseFile(fset, filename, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []*funcDecl
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		fn := &funcDecl{
			Name:  fd.Name.Name,
			File:  filepath.Base(filename),
			Start: fset.Position(fd.Pos()),
			End:   fset.Position(fd.End()),
			key:   fd.Name.Name,
			calls: make(map[string]bool),
		}
		if fd.Recv != nil && len(fd.Recv.List) > 0 {
			fn.Name = recvName(fd.Recv.List[0].Type) + "." + fd.Name.Name
			fn.key = "." + fd.Name.Name
		}
		if fd.Body != nil {
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if c, ok := n.(*ast.CallExpr); ok {
					switch fun := ast.Unparen(c.Fun).(type) {
					case *ast.Ident:
						fn.calls[fun.Name] = true
					case *ast.SelectorExpr:
						fn.calls["."+fun.Sel.Name] = true
					case *ast.IndexExpr: // generic instantiation f[T](...)
						if id, ok := fun.X.(*ast.Ident); ok {
							fn.calls[id.Name] = true
						}
					case *ast.IndexListExpr:
						if id, ok := fun.X.(*ast.Ident); ok {
							fn.calls[id.Name] = true
						}
					}
				}
				return true
			})
		}
		out = append(out, fn)
	}
	return out, nil
}

// recvName is the type name of a method's receiver, without pointer or
// type parameters.
func recvName(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.ParenExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.Ident:
			return t.Name
		default:
			return "?"
		}
	}
}

// contains reports whether the function's extent holds line:col.
func (fn *funcDecl) contains(file string, line, col int) bool {
	if fn.File != file {
		return false
	}
	after := line > fn.Start.Line || line == fn.Start.Line && col >= fn.Start.Column
	before := line < fn.End.Line || line == fn.End.Line && col <= fn.End.Column
	return after && before
}

// attribution says which scored tests each finding belongs to.
type attribution struct {
	byTest     map[string][]finding // scored test -> its findings
	inTests    int                  // findings inside a scored test
	viaHelper  int                  // findings in a helper that scored tests call directly
	unassigned []finding            // findings reaching no scored test
}

// attribute assigns each finding to the scored tests it belongs to. The
// rule: a finding inside a scored test (a top-level TestRace* or
// TestNoRace* function, function literals in it included) belongs to
// that test; a finding inside any other top-level function (a helper)
// belongs to every scored test whose body calls that helper directly
// (f(...) for a function, x.m(...) for a method named m, whatever x's
// type); anything else (package-level initialisers, helpers no scored
// test calls directly) belongs to none and is counted apart.
func attribute(fns []*funcDecl, fs []finding) attribution {
	a := attribution{byTest: make(map[string][]finding)}
	for _, f := range fs {
		var in *funcDecl
		for _, fn := range fns {
			if fn.contains(f.File, f.Line, f.Col) {
				in = fn
				break
			}
		}
		switch {
		case in == nil:
			a.unassigned = append(a.unassigned, f)
		case isScored(in.Name) && !strings.Contains(in.Name, "."):
			a.byTest[in.Name] = append(a.byTest[in.Name], f)
			a.inTests++
		default:
			n := 0
			for _, t := range fns {
				if isScored(t.Name) && !strings.Contains(t.Name, ".") && t.calls[in.key] {
					a.byTest[t.Name] = append(a.byTest[t.Name], f)
					n++
				}
			}
			if n == 0 {
				a.unassigned = append(a.unassigned, f)
			} else {
				a.viaHelper++
			}
		}
	}
	return a
}

// Score is a confusion matrix with its precision and recall.
type Score struct {
	TP, FP, FN, TN int
	Precision      float64 // TP/(TP+FP); 0 when nothing was flagged
	Recall         float64 // TP/(TP+FN); 0 when nothing is racy
}

func (s *Score) add(outcome string) {
	switch outcome {
	case "TP":
		s.TP++
	case "FP":
		s.FP++
	case "FN":
		s.FN++
	case "TN":
		s.TN++
	}
}

func (s *Score) finish() {
	s.Precision, s.Recall = 0, 0
	if s.TP+s.FP > 0 {
		s.Precision = float64(s.TP) / float64(s.TP+s.FP)
	}
	if s.TP+s.FN > 0 {
		s.Recall = float64(s.TP) / float64(s.TP+s.FN)
	}
}

// outcome classifies a scored test by whether the scored check flagged
// it.
func outcome(test string, flagged bool) string {
	switch {
	case isRacy(test) && flagged:
		return "TP"
	case isRacy(test):
		return "FN"
	case flagged:
		return "FP"
	default:
		return "TN"
	}
}

// TestResult is one scored test of the race corpus.
type TestResult struct {
	Name     string
	File     string
	Racy     bool
	Outcome  string         // TP, FP, FN or TN
	Findings int            `json:",omitempty"` // the scored check's findings attributed to it
	Other    map[string]int `json:",omitempty"` // other checks' findings attributed to it
}

// FileScore is the score of one corpus file.
type FileScore struct {
	File        string
	Racy, Clean int
	Score
}

// CheckCount is how often one check fired on the race corpus.
type CheckCount struct {
	Findings   int // all its findings
	RacyTests  int // racy tests with at least one attributed finding
	CleanTests int // clean tests with at least one attributed finding
}

// scoreRace scores every scored test in fns against the findings.
func scoreRace(fns []*funcDecl, fs []finding) (tests []TestResult, files []FileScore, total Score, checks map[string]CheckCount, a attribution) {
	a = attribute(fns, fs)
	checks = make(map[string]CheckCount)
	for _, f := range fs {
		c := checks[f.Check]
		c.Findings++
		checks[f.Check] = c
	}
	byFile := make(map[string]*FileScore)
	for _, fn := range fns {
		if !isScored(fn.Name) || strings.Contains(fn.Name, ".") {
			continue
		}
		tr := TestResult{Name: fn.Name, File: fn.File, Racy: isRacy(fn.Name)}
		seen := make(map[string]bool)
		for _, f := range a.byTest[fn.Name] {
			if f.Check == scoredCheck {
				tr.Findings++
			} else {
				if tr.Other == nil {
					tr.Other = make(map[string]int)
				}
				tr.Other[f.Check]++
			}
			if !seen[f.Check] {
				seen[f.Check] = true
				c := checks[f.Check]
				if tr.Racy {
					c.RacyTests++
				} else {
					c.CleanTests++
				}
				checks[f.Check] = c
			}
		}
		tr.Outcome = outcome(fn.Name, tr.Findings > 0)
		tests = append(tests, tr)
		fsc := byFile[fn.File]
		if fsc == nil {
			fsc = &FileScore{File: fn.File}
			byFile[fn.File] = fsc
		}
		if tr.Racy {
			fsc.Racy++
		} else {
			fsc.Clean++
		}
		fsc.add(tr.Outcome)
		total.add(tr.Outcome)
	}
	for _, fsc := range byFile {
		fsc.finish()
		files = append(files, *fsc)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].File < files[j].File })
	sort.Slice(tests, func(i, j int) bool {
		if tests[i].File != tests[j].File {
			return tests[i].File < tests[j].File
		}
		return tests[i].Name < tests[j].Name
	})
	total.finish()
	return tests, files, total, checks, a
}
