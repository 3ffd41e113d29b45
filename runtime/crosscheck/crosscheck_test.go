// The cross-check is left out of -race builds: nothing in it runs
// concurrently, and instrumenting x/tools and staticcheck for the race
// detector would only slow down go test -race ./... in runtime/. The
// plain go test run checks.

//go:build !race

package crosscheck_test

import (
	"go/ast"
	"go/token"
	"os"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/syncvet/syncvet/analyzers"
)

// row maps one Bad variant to the analyzer that must report it.
type row struct {
	pkg      string   // package under runtime/
	variants []string // top-level declarations (functions, types with their methods) that make up the variant
	analyzer string   // the syncvet analyzer whose hazard the variant shows
	// knownMiss, when set, says why the analyzer is known not to report
	// this variant yet: the test asserts that it still does not, so the
	// change that teaches the analyzer to see it must also remove this
	// field. Set it only for a variant that is a correct example (its
	// runtime test shows the hazard) and that the analyzer should learn
	// to see.
	knownMiss string
}

// table lists every Bad variant under runtime/. TestTableComplete
// checks that no Bad declaration is left out.
var table = []row{
	// sharedaccess: unsynchronized shared memory.
	{pkg: "races", variants: []string{"BadCounter"}, analyzer: "sharedaccess"},
	{pkg: "races", variants: []string{"BadGlobal", "badServe"}, analyzer: "sharedaccess"},
	{pkg: "races", variants: []string{"BadFirstError"}, analyzer: "sharedaccess"},
	{pkg: "races", variants: []string{"BadWordCount"}, analyzer: "sharedaccess"},
	{pkg: "races", variants: []string{"BadCollect"}, analyzer: "sharedaccess"},
	{pkg: "races", variants: []string{"BadStats"}, analyzer: "sharedaccess"},
	{pkg: "races", variants: []string{"BadCache"}, analyzer: "sharedaccess"},
	{pkg: "races", variants: []string{"BadFetcher"}, analyzer: "sharedaccess",
		knownMiss: "sharedaccess exempts every write guarded by a nil check of the same location " +
			"(lazy initialisation, to avoid false positives in std), even when, as here, " +
			"the goroutines FetchAll starts run the check-then-write at once"},
	{pkg: "races", variants: []string{"BadBatch"}, analyzer: "sharedaccess"},

	// lockorder: acquisitions that can deadlock.
	{pkg: "deadlock", variants: []string{"BadBank", "BadLedger"}, analyzer: "lockorder"},
	{pkg: "deadlock", variants: []string{"BadRegistry"}, analyzer: "lockorder"},
	{pkg: "deadlock", variants: []string{"BadConfig"}, analyzer: "lockorder"},
	{pkg: "deadlock", variants: []string{"BadTransfer", "BadAccount", "BadSwap"}, analyzer: "lockorder"},

	// overlock: locks held across blocking operations or too long.
	{pkg: "overlock", variants: []string{"BadBroker"}, analyzer: "overlock"},
	{pkg: "overlock", variants: []string{"BadClient"}, analyzer: "overlock"},
	{pkg: "overlock", variants: []string{"BadPool"}, analyzer: "overlock"},
	{pkg: "overlock", variants: []string{"BadAccount"}, analyzer: "overlock"},
	{pkg: "overlock", variants: []string{"BadJournal"}, analyzer: "overlock"},
	{pkg: "strategies", variants: []string{"BadCounterOverlocked"}, analyzer: "overlock"},
	{pkg: "strategies", variants: []string{"BadStoreOverlocked"}, analyzer: "overlock"},

	// goroutineleak: goroutines blocked for ever.
	{pkg: "leaks", variants: []string{"BadFetch"}, analyzer: "goroutineleak"},
	{pkg: "leaks", variants: []string{"BadRunAll"}, analyzer: "goroutineleak"},
	{pkg: "leaks", variants: []string{"BadIndexAll"}, analyzer: "goroutineleak"},
	{pkg: "leaks", variants: []string{"BadWarmer"}, analyzer: "goroutineleak"},
	{pkg: "leaks", variants: []string{"BadGate"}, analyzer: "goroutineleak"},
	{pkg: "leaks", variants: []string{"BadCache"}, analyzer: "goroutineleak"},
	{pkg: "leaks", variants: []string{"BadMonitor"}, analyzer: "goroutineleak"},
	{pkg: "leaks", variants: []string{"BadConnect"}, analyzer: "goroutineleak"},
	{pkg: "leaks", variants: []string{"BadGather"}, analyzer: "goroutineleak"},
}

const module = "github.com/syncvet/syncvet/runtime/"

// The analyzers under test: every check syncvet runs, and the names of
// its own among them.
var (
	allAnalyzers = analyzers.All
	ownAnalyzers = analyzers.Own
)

// finding is one diagnostic placed in its declaration.
type finding struct {
	analyzer string
	pkg      string // package under runtime/
	decl     string // enclosing top-level declaration: function, or receiver or type name
	pos      token.Position
	message  string
}

func (f finding) String() string {
	return f.pos.String() + ": " + f.analyzer + ": " + f.message + " (in " + f.pkg + "." + f.decl + ")"
}

// analyze loads runtime/... and runs analyzers.All over it once per test
// binary.
func analyze(t *testing.T) (findings []finding, decls map[string][]string, present map[string]bool) {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping the analysis of runtime/... in -short mode")
	}
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Tests: false}
	pkgs, err := packages.Load(cfg, module+"...")
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("runtime/... does not load")
	}
	all := allAnalyzers()
	own := make(map[string]bool)
	for _, a := range ownAnalyzers() {
		own[a.Name] = true
	}
	present = make(map[string]bool)
	for _, a := range all {
		present[a.Name] = true
	}
	graph, err := checker.Analyze(all, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	decls = make(map[string][]string)
	for _, p := range pkgs {
		rel := strings.TrimPrefix(p.PkgPath, module)
		for _, f := range p.Syntax {
			for _, d := range f.Decls {
				decls[rel] = append(decls[rel], declNames(d)...)
			}
		}
	}
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Errorf("%s on %s: %v", act.Analyzer.Name, act.Package.PkgPath, act.Err)
			continue
		}
		if !own[act.Analyzer.Name] {
			continue // the bundled checks are not syncvet's to verify here
		}
		for _, d := range act.Diagnostics {
			findings = append(findings, place(act, d))
			// One finding stands for several sites when they share a
			// root cause (overlock: critical sections that reach one
			// blocking operation through calls); each such site is a
			// related position marked "also reached here", and counts
			// as reported where it is.
			for _, r := range d.Related {
				if strings.HasPrefix(r.Message, "also reached here") {
					findings = append(findings, place(act, analysis.Diagnostic{Pos: r.Pos, Message: r.Message}))
				}
			}
		}
	}
	sort.Slice(findings, func(i, j int) bool { return findings[i].String() < findings[j].String() })
	return findings, decls, present
}

// place finds the top-level declaration that contains d.
func place(act *checker.Action, d analysis.Diagnostic) finding {
	p := act.Package
	f := finding{
		analyzer: act.Analyzer.Name,
		pkg:      strings.TrimPrefix(p.PkgPath, module),
		pos:      p.Fset.Position(d.Pos),
		message:  d.Message,
	}
	for _, file := range p.Syntax {
		if d.Pos < file.FileStart || d.Pos > file.FileEnd {
			continue
		}
		for _, decl := range file.Decls {
			if decl.Pos() <= d.Pos && d.Pos <= decl.End() {
				if names := declNames(decl); len(names) > 0 {
					f.decl = names[0]
				}
			}
		}
	}
	return f
}

// declNames returns the variant names a declaration belongs to: a
// method's receiver type, a function's name (a constructor NewX counts
// as X), or the types a type declaration declares.
func declNames(d ast.Decl) []string {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv != nil && len(d.Recv.List) == 1 {
			typ := d.Recv.List[0].Type
			if star, ok := typ.(*ast.StarExpr); ok {
				typ = star.X
			}
			if index, ok := typ.(*ast.IndexExpr); ok {
				typ = index.X
			}
			if id, ok := typ.(*ast.Ident); ok {
				return []string{id.Name}
			}
			return nil
		}
		name := d.Name.Name
		if rest, ok := strings.CutPrefix(name, "New"); ok && (isBad(rest) || isGood(rest)) {
			name = rest
		}
		return []string{name}
	case *ast.GenDecl:
		var names []string
		for _, s := range d.Specs {
			if ts, ok := s.(*ast.TypeSpec); ok {
				names = append(names, ts.Name.Name)
			}
		}
		return names
	}
	return nil
}

func isBad(name string) bool  { return strings.HasPrefix(strings.ToLower(name), "bad") }
func isGood(name string) bool { return strings.HasPrefix(strings.ToLower(name), "good") }

// TestCrossCheck asserts that each Bad variant is reported by its
// analyzer and that no other declaration, Good variants above all, is
// reported by any of syncvet's own analyzers.
func TestCrossCheck(t *testing.T) {
	findings, _, present := analyze(t)
	if os.Getenv("CROSSCHECK_VERBOSE") != "" {
		for _, f := range findings {
			t.Log(f)
		}
	}
	inRow := make(map[string]int) // pkg.decl -> index into table
	for i, r := range table {
		for _, v := range r.variants {
			inRow[r.pkg+"."+v] = i
		}
	}
	hit := make(map[int][]finding)
	for _, f := range findings {
		i, ok := inRow[f.pkg+"."+f.decl]
		switch {
		case ok:
			if table[i].analyzer == f.analyzer {
				hit[i] = append(hit[i], f)
			}
			// Another own analyzer reporting a Bad variant too is
			// fine: the variant is wrong code.
		case isBad(f.decl):
			t.Errorf("finding in a Bad declaration that no table row names (add it to a row): %v", f)
		default:
			t.Errorf("false positive outside the Bad variants: %v", f)
		}
	}
	for i, r := range table {
		name := r.pkg + "." + strings.Join(r.variants, "/")
		t.Run(r.pkg+"/"+r.variants[0], func(t *testing.T) {
			if !present[r.analyzer] {
				t.Skipf("analyzer %s is not in analyzers.All() yet; %s not checked", r.analyzer, name)
			}
			switch {
			case len(hit[i]) > 0 && r.knownMiss != "":
				for _, f := range hit[i] {
					t.Logf("reported: %v", f)
				}
				t.Errorf("%s now reports %s, a row marked as a known miss: remove its knownMiss (%q)", r.analyzer, name, r.knownMiss)
			case len(hit[i]) > 0:
				for _, f := range hit[i] {
					t.Logf("reported: %v", f)
				}
			case r.knownMiss != "":
				t.Logf("known miss: %s does not report %s: %s", r.analyzer, name, r.knownMiss)
			default:
				t.Errorf("%s does not report %s, which its runtime test shows to be a real hazard", r.analyzer, name)
			}
		})
	}
}

// TestTableComplete asserts that every Bad declaration under runtime/
// belongs to a table row and every row names existing declarations,
// so that a new Bad variant cannot escape the cross-check.
func TestTableComplete(t *testing.T) {
	if testing.Short() {
		t.Skip("loads runtime/...")
	}
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedSyntax | packages.NeedFiles}
	pkgs, err := packages.Load(cfg, module+"...")
	if err != nil {
		t.Fatal(err)
	}
	declared := make(map[string]bool)
	for _, p := range pkgs {
		rel := strings.TrimPrefix(p.PkgPath, module)
		for _, f := range p.Syntax {
			for _, d := range f.Decls {
				for _, n := range declNames(d) {
					declared[rel+"."+n] = true
				}
			}
		}
	}
	listed := make(map[string]bool)
	for _, r := range table {
		for _, v := range r.variants {
			listed[r.pkg+"."+v] = true
			if !declared[r.pkg+"."+v] {
				t.Errorf("table row names %s.%s, which is not declared", r.pkg, v)
			}
		}
	}
	var missing []string
	for d := range declared {
		_, name, _ := strings.Cut(d, ".")
		if isBad(name) && !listed[d] {
			missing = append(missing, d)
		}
	}
	sort.Strings(missing)
	for _, d := range missing {
		t.Errorf("Bad declaration %s has no row in the cross-check table", d)
	}
}
