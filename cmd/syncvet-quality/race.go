package main

import (
	"fmt"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// RaceResult is the score on the race detector's own test programs.
type RaceResult struct {
	Dir        string                // $GOROOT/src/runtime/race/testdata
	Skipped    []FileNote            `json:",omitempty"` // files not analysed, with why
	Rewritten  []FileNote            `json:",omitempty"` // files edited to build outside std, with how
	Files      []FileScore           // per file
	Total      Score                 // over all scored tests
	Tests      []TestResult          // every scored test
	Checks     map[string]CheckCount // every check's findings on the corpus
	InTests    int                   // findings inside a scored test
	ViaHelper  int                   // findings in helpers, attributed to the scored tests that call them
	Unassigned []string              `json:",omitempty"` // findings attributed to no scored test
	Seconds    float64               // wall time of the syncvet run
}

// FileNote says why a corpus file was skipped or how it was rewritten.
type FileNote struct {
	File  string
	Note  string
	Tests []string `json:",omitempty"` // scored tests a skipped file held
}

// importRewrite makes a corpus file that imports an internal package of
// the standard library build in an ordinary module: replace each old
// string by the new one; the file is skipped if a remnant is left.
type importRewrite struct {
	note    string
	edits   [][2]string
	remnant string
}

var importRewrites = map[string]importRewrite{
	"internal/synctest": {
		note: "internal/synctest (importable only in the standard library) replaced by testing/synctest: synctest.Run(func() {...}) becomes synctest.Test(t, func(*testing.T) {...}), the same bubble",
		edits: [][2]string{
			{`"internal/synctest"`, `"testing/synctest"`},
			{"synctest.Run(func() {", "synctest.Test(t, func(*testing.T) {"},
		},
		remnant: "synctest.Run(",
	},
}

// prepareRace copies the race corpus's test files from src into dir,
// a new module, rewriting or skipping those that cannot build there.
func prepareRace(src, dir, goVersion string) (res *RaceResult, err error) {
	res = &RaceResult{Dir: src}
	ents, err := os.ReadDir(src)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ctxt := build.Default
	ctxt.BuildTags = append(ctxt.BuildTags, "race")
	fset := token.NewFileSet()
	for _, e := range ents {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			return nil, err
		}
		skip := func(note string) {
			res.Skipped = append(res.Skipped, FileNote{File: name, Note: note, Tests: scoredTests(fset, name, data)})
		}
		if !strings.HasSuffix(name, "_test.go") {
			skip("not a _test.go file: the race detector's harness passes only *_test.go files to go test")
			continue
		}
		if ok, err := ctxt.MatchFile(src, name); err != nil {
			skip("cannot read its build constraints: " + err.Error())
			continue
		} else if !ok {
			skip(fmt.Sprintf("excluded by build constraints on %s/%s with tag race", ctxt.GOOS, ctxt.GOARCH))
			continue
		}
		f, err := parser.ParseFile(fset, name, data, parser.ImportsOnly)
		if err != nil {
			skip("does not parse: " + err.Error())
			continue
		}
		if f.Name.Name != "race_test" {
			skip("package " + f.Name.Name + ", not race_test")
			continue
		}
		text := string(data)
		var notes []string
		why := ""
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			switch {
			case path == "C":
				why = "uses cgo"
			case path == "internal" || strings.HasPrefix(path, "internal/") || strings.Contains(path, "/internal/"):
				rw, ok := importRewrites[path]
				if !ok {
					why = "imports " + path + ", which only the standard library may import"
					break
				}
				for _, ed := range rw.edits {
					text = strings.ReplaceAll(text, ed[0], ed[1])
				}
				if strings.Contains(text, rw.remnant) {
					why = "imports " + path + " and uses it in a form the rewrite does not handle"
					break
				}
				notes = append(notes, rw.note)
			}
			if why != "" {
				break
			}
		}
		if why != "" {
			skip(why)
			continue
		}
		if len(notes) > 0 {
			res.Rewritten = append(res.Rewritten, FileNote{File: name, Note: strings.Join(notes, "; ")})
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return nil, err
		}
	}
	mod := "module racecorpus\n\ngo " + goVersion + "\n"
	return res, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644)
}

// scoredTests lists the scored tests declared in a file's source.
func scoredTests(fset *token.FileSet, name string, data []byte) []string {
	fns, err := parseFuncs(fset, name, data)
	if err != nil {
		return nil
	}
	var out []string
	for _, fn := range fns {
		if isScored(fn.Name) {
			out = append(out, fn.Name)
		}
	}
	return out
}

// runRace scores syncvet on the corpus prepared in dir.
func runRace(bin, dir string, res *RaceResult) error {
	start := time.Now()
	// The corpus is built with -race by its harness: tag race makes
	// runtime.RaceDisable and friends exist.
	r, err := runSyncvet(bin, dir, "-tags=race")
	if err != nil {
		return err
	}
	res.Seconds = time.Since(start).Seconds()
	if r.code == 1 || len(r.broken) > 0 || len(r.failures) > 0 || len(r.internal) > 0 {
		return fmt.Errorf("syncvet did not analyse the race corpus cleanly (%s):\n%s%s", dir, r.stderr, describeInternal(r.internal))
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var fns []*funcDecl
	fset := token.NewFileSet()
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return err
		}
		fs, err := parseFuncs(fset, e.Name(), data)
		if err != nil {
			return err
		}
		fns = append(fns, fs...)
	}
	var a attribution
	res.Tests, res.Files, res.Total, res.Checks, a = scoreRace(fns, r.findings)
	res.InTests, res.ViaHelper = a.inTests, a.viaHelper
	for _, f := range a.unassigned {
		res.Unassigned = append(res.Unassigned, fmt.Sprintf("%s:%d:%d: %s (%s)", f.File, f.Line, f.Col, f.Message, f.Check))
	}
	return nil
}

func describeInternal(fs []finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s:%d:%d: %s (%s)\n", f.Path, f.Line, f.Col, f.Message, f.Check)
	}
	return b.String()
}

// falseLists returns the names of the false positives and false
// negatives, as "file: Test".
func (r *RaceResult) falseLists() (fps, fns []string) {
	for _, t := range r.Tests {
		switch t.Outcome {
		case "FP":
			fps = append(fps, t.File+": "+t.Name)
		case "FN":
			fns = append(fns, t.File+": "+t.Name)
		}
	}
	sort.Strings(fps)
	sort.Strings(fns)
	return fps, fns
}
