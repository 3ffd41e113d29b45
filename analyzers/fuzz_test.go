package analyzers_test

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"hash/fnv"
	"math/rand"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/txtar"

	"github.com/syncvet/syncvet/analyzers"
)

// FuzzAnalyzers runs every check of analyzers.All(), with the passes they
// require, over Go packages made by mutating the fixtures, and fails on
// a panic, an error from a check or a pass (recovered panics become
// "internal error in ..." errors), a finding that says "internal error",
// or an analysis that takes longer than fuzzTimeout (a hang).
//
// An input is a source and a string of bytes, ops. The source is the
// name of a seed (a fixture's import path; any other string that is not
// an archive picks the seed its hash selects), or a txtar archive of Go
// files named IMPORTPATH/FILE.go: one package per directory, importing
// each other or the standard library. The ops drive mutations of the
// syntax trees: delete, duplicate, swap, move or copy statements; run
// them in a goroutine, a deferred or an immediately called function
// literal, a loop (infinite, labeled, over an int or a func) or a
// branch (if, switch, select); unwrap such statements; turn a call into
// a go or defer statement and back; rename Lock, Unlock, RLock, RUnlock,
// TryLock, Wait, Done, Signal, Broadcast into each other; insert return,
// break, continue (labeled or not), panic, select {} or for {}; make a
// send or receive non-blocking; flip sync.Mutex and sync.RWMutex; make
// a sync field a pointer or a value. The result is printed, parsed and
// type-checked as a driver would; inputs that do not type-check are
// skipped (drivers do not analyze them). The checker runs the analysis
// with SanityCheck (facts go through gob), its actions in parallel. The
// std packages come from export data without syntax, as for drivers
// that never analyze std.
//
// The seeds are the fixtures under testdata/src and the packages of
// runtime/ whose imports are std or other fixtures. The fuzzer gets
// their names, so that it mutates ops and not source text: mutated
// source seldom parses, and the new paths it finds in go/parser and
// go/types would fill the corpus. Plain go test runs each seed verbatim
// and with fuzzSeedMutations fixed mutations, as regression inputs.
//
// To fuzz (-fuzzminimizetime bounds the minimization of each new input,
// which otherwise takes up to a minute of every few):
//
//	go test -run '^$' -fuzz '^FuzzAnalyzers$' -fuzztime 60s -fuzzminimizetime 20x ./analyzers/
//
// A failure prints the mutated program as an archive. Go saves the
// failing input under testdata/fuzz/FuzzAnalyzers, but a seed name's
// hash picks another seed once fixtures are added: once the bug is
// fixed, keep the printed archive instead, as a string input with empty
// ops, so that it stays a regression input.
//
// Environment:
//
//	SYNCVET_FUZZ_PRINT=1     print each program to stderr before analysis
//	                         (for a crash that kills the process, such as
//	                         a panic in a goroutine that nothing recovers)
//	SYNCVET_FUZZ_IGNORE=RE   ignore problems matching RE (a known bug)
//	SYNCVET_FUZZ_STATS=DIR   each process writes its counts to DIR/PID
func FuzzAnalyzers(f *testing.F) {
	env := loadFuzzEnv(f)
	var ignore *regexp.Regexp
	if re := os.Getenv("SYNCVET_FUZZ_IGNORE"); re != "" {
		ignore = regexp.MustCompile(re)
	}
	for i, s := range env.seeds {
		f.Add(s.name, []byte(nil))
		// Fixed mutations, so that plain go test runs the mutator.
		rng := rand.New(rand.NewSource(int64(i)))
		for range fuzzSeedMutations {
			ops := make([]byte, 8+rng.Intn(24))
			rng.Read(ops)
			f.Add(s.name, ops)
		}
	}
	f.Fuzz(func(t *testing.T, src string, ops []byte) {
		var archive []byte
		if s, ok := env.byName[src]; ok {
			archive = s.archive
		} else if strings.HasPrefix(src, "-- ") {
			archive = []byte(src)
		} else {
			// A mutated seed name: another seed, so that
			// changing the name tries the ops on another
			// fixture.
			h := fnv.New32a()
			h.Write([]byte(src))
			archive = env.seeds[h.Sum32()%uint32(len(env.seeds))].archive
		}
		fuzzStats.count(&fuzzStats.inputs)
		prog, ok := env.build(archive, ops)
		if !ok {
			return // does not parse or type-check
		}
		fuzzStats.count(&fuzzStats.analyzed)
		if os.Getenv("SYNCVET_FUZZ_PRINT") != "" {
			fmt.Fprintf(os.Stderr, "=== FuzzAnalyzers program\n%s", prog.txtar())
		}
		problems := prog.analyze(analyzers.All(), fuzzTimeout)
		if ignore != nil {
			problems = slices.DeleteFunc(problems, ignore.MatchString)
		}
		if len(problems) > 0 {
			t.Fatalf("%s\nprogram:\n%s", strings.Join(problems, "\n"), prog.txtar())
		}
	})
}

// fuzzStats counts, in each fuzzing process, the inputs and those of
// them that type-check after mutation and are analyzed (go test -fuzz
// does not count the inputs it runs to minimize others). With
// SYNCVET_FUZZ_STATS=DIR, each process writes them to DIR/PID every few
// seconds.
var fuzzStats fuzzCounts

type fuzzCounts struct {
	sync.Mutex
	inputs, analyzed int
	written          time.Time
}

func (s *fuzzCounts) count(n *int) {
	dir := os.Getenv("SYNCVET_FUZZ_STATS")
	if dir == "" {
		return
	}
	s.Lock()
	*n++
	line := ""
	if now := time.Now(); now.Sub(s.written) > 2*time.Second {
		s.written = now
		line = fmt.Sprintf("inputs %d analyzed %d\n", s.inputs, s.analyzed)
	}
	s.Unlock()
	if line != "" {
		// Written outside the lock: the workers need not queue on the
		// file system (syncvet's overlock said so).
		os.WriteFile(filepath.Join(dir, strconv.Itoa(os.Getpid())), []byte(line), 0o666)
	}
}

// TestFuzzSeeds checks the harness of FuzzAnalyzers: the fixtures
// type-check in it, and enough mutated seeds type-check for the fuzzer
// to be useful.
func TestFuzzSeeds(t *testing.T) {
	env := loadFuzzEnv(t)
	t.Logf("%d seeds; fixtures that do not type-check, left out: %v", len(env.seeds), env.illTyped)
	if len(env.seeds) < 30 || len(env.illTyped) > len(env.seeds)/10 {
		t.Errorf("%d seeds, %d fixtures that do not type-check in the harness: %v", len(env.seeds), len(env.illTyped), env.illTyped)
	}
	rng := rand.New(rand.NewSource(1))
	var tried, ok, changed int
	for range 400 {
		s := env.seeds[rng.Intn(len(env.seeds))]
		ops := make([]byte, 1+rng.Intn(32))
		rng.Read(ops)
		tried++
		if prog, good := env.build(s.archive, ops); good {
			ok++
			if prog.mutated {
				changed++
			}
		}
	}
	t.Logf("%d of %d random mutations type-check, %d of them changed the program", ok, tried, changed)
	if ok*5 < tried || changed*2 < ok {
		t.Errorf("%d of %d random mutations type-check, %d changed the program: the fuzzer would waste its time", ok, tried, changed)
	}
}

// TestFuzzHarness checks that the harness of FuzzAnalyzers catches a
// panic, an error, an internal error reported as a finding, and a hang.
func TestFuzzHarness(t *testing.T) {
	env := loadFuzzEnv(t)
	prog, ok := env.build(env.seeds[0].archive, nil)
	if !ok {
		t.Fatalf("seed %s does not type-check", env.seeds[0].name)
	}
	release := make(chan struct{})
	defer close(release)
	for _, tc := range []struct {
		name string
		run  func(*analysis.Pass) (any, error)
		want string
	}{
		{"panic", func(*analysis.Pass) (any, error) { panic("boom") }, "internal error in check on package"},
		{"error", func(*analysis.Pass) (any, error) { return nil, fmt.Errorf("broken") }, "check on " + prog.pkgs[0].PkgPath + ": broken"},
		{"finding", func(pass *analysis.Pass) (any, error) {
			pass.Reportf(pass.Files[0].Package, "internal error in check: oops")
			return nil, nil
		}, "reports"},
		{"hang", func(*analysis.Pass) (any, error) { <-release; return nil, nil }, "did not finish"},
		{"fine", func(*analysis.Pass) (any, error) { return nil, nil }, ""},
	} {
		a := &analysis.Analyzer{Name: "check", Doc: "check", Run: tc.run}
		problems := strings.Join(prog.analyze(analyzers.Guard([]*analysis.Analyzer{a}), time.Second), "\n")
		if tc.want == "" && problems != "" || !strings.Contains(problems, tc.want) {
			t.Errorf("%s: problems = %q, want %q", tc.name, problems, tc.want)
		}
	}
}

const (
	// fuzzTimeout bounds the analysis of one input: longer is a hang.
	fuzzTimeout = 20 * time.Second
	// fuzzSeedMutations is the number of mutated copies of each seed.
	fuzzSeedMutations = 2
	// fuzzMaxOps bounds the mutations applied to one input.
	fuzzMaxOps = 12
	// fuzzMaxSource bounds the size of a mutated program, in bytes.
	fuzzMaxSource = 1 << 18
)

// fuzzEnv is what every input shares: the seeds and the standard
// library's packages, loaded once per process from export data.
type fuzzEnv struct {
	seeds  []fuzzSeed
	byName map[string]*fuzzSeed
	std    map[string]*packages.Package // by import path, all deps included
	fset   *token.FileSet               // positions of std
	files  []*token.File                // the files of fset
	sizes  types.Sizes
	// Fixtures left out for they do not type-check.
	illTyped []string
}

type fuzzSeed struct {
	name    string // the fixture's import path
	archive []byte // txtar of the package and the fixtures it imports
}

var (
	fuzzEnvOnce sync.Once
	fuzzEnvVal  *fuzzEnv
	fuzzEnvErr  error
)

func loadFuzzEnv(tb testing.TB) *fuzzEnv {
	tb.Helper()
	fuzzEnvOnce.Do(func() { fuzzEnvVal, fuzzEnvErr = newFuzzEnv() })
	if fuzzEnvErr != nil {
		tb.Fatal(fuzzEnvErr)
	}
	return fuzzEnvVal
}

// fixturePkg is a package on disk that a seed is made of.
type fixturePkg struct {
	path    string // import path
	files   map[string][]byte
	imports []string
}

func newFuzzEnv() (*fuzzEnv, error) {
	root, err := filepath.Abs("..")
	if err != nil {
		return nil, err
	}
	const module = "github.com/syncvet/syncvet/"
	// dirOf returns the directory of a fixture or module package.
	dirOf := func(p string) string {
		if rest, ok := strings.CutPrefix(p, module); ok {
			return filepath.Join(root, filepath.FromSlash(rest))
		}
		return filepath.Join(root, "testdata", "src", filepath.FromSlash(p))
	}
	pkgs := map[string]*fixturePkg{} // nil: not a fixture
	readPkg := func(p string) *fixturePkg {
		if fp, ok := pkgs[p]; ok {
			return fp
		}
		pkgs[p] = nil
		dir := dirOf(p)
		ents, err := os.ReadDir(dir)
		if err != nil {
			return nil
		}
		fp := &fixturePkg{path: p, files: map[string][]byte{}}
		imports := map[string]bool{}
		for _, e := range ents {
			name := e.Name()
			if e.IsDir() || !strings.HasSuffix(name, ".go") {
				continue
			}
			if strings.HasPrefix(p, module) && strings.HasSuffix(name, "_test.go") {
				continue // runtime/ tests need the go command
			}
			if ok, err := build.Default.MatchFile(dir, name); err != nil || !ok {
				continue
			}
			src, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				return nil
			}
			f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ImportsOnly)
			if err != nil || strings.HasSuffix(f.Name.Name, "_test") {
				continue
			}
			for _, imp := range f.Imports {
				ip, _ := strconv.Unquote(imp.Path.Value)
				imports[ip] = true
			}
			fp.files[name] = src
		}
		if len(fp.files) == 0 {
			return nil
		}
		for ip := range imports {
			fp.imports = append(fp.imports, ip)
		}
		sort.Strings(fp.imports)
		pkgs[p] = fp
		return fp
	}

	// Candidate seeds: every package under testdata/src and runtime/.
	var candidates []string
	for _, top := range []string{filepath.Join(root, "testdata", "src"), filepath.Join(root, "runtime")} {
		err := filepath.WalkDir(top, func(p string, d os.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return err
			}
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			rel = filepath.ToSlash(rel)
			if ip, ok := strings.CutPrefix(rel, "testdata/src/"); ok {
				candidates = append(candidates, ip)
			} else if strings.HasPrefix(rel, "runtime/") && !strings.Contains(rel, "internal") {
				candidates = append(candidates, module+rel)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}

	// Each candidate with the fixtures it imports, transitively;
	// the other imports must be std.
	type closure struct {
		name  string
		local []string // sorted import paths of fixtures
		std   []string
	}
	var closures []closure
	stdSet := map[string]bool{}
	for _, c := range candidates {
		if readPkg(c) == nil {
			continue
		}
		seen := map[string]bool{}
		var std []string
		var visit func(p string)
		visit = func(p string) {
			if seen[p] {
				return
			}
			seen[p] = true
			for _, ip := range pkgs[p].imports {
				if readPkg(ip) != nil {
					visit(ip)
				} else if !strings.Contains(strings.Split(ip, "/")[0], ".") && !seen[ip] {
					seen[ip] = true
					std = append(std, ip)
				} else {
					seen[ip] = true
					std = append(std, "") // unresolvable
				}
			}
		}
		visit(c)
		var local []string
		for p := range seen {
			if pkgs[p] != nil {
				local = append(local, p)
			}
		}
		sort.Strings(local)
		if slices.Contains(std, "") {
			continue
		}
		for _, s := range std {
			stdSet[s] = true
		}
		closures = append(closures, closure{c, local, std})
	}
	// Drop a seed whose packages are all in another seed (crosspkg/lib
	// is in crosspkg/use).
	var kept []closure
	for i, c := range closures {
		sub := false
		for j, d := range closures {
			if i != j && len(c.local) < len(d.local) && isSubset(c.local, d.local) {
				sub = true
				break
			}
		}
		if !sub {
			kept = append(kept, c)
		}
	}

	// The std packages, from export data (the go command builds it).
	var stdPaths []string
	for s := range stdSet {
		stdPaths = append(stdPaths, s)
	}
	sort.Strings(stdPaths)
	fset := token.NewFileSet()
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedImports | packages.NeedDeps |
			packages.NeedTypes | packages.NeedTypesSizes |
			packages.NeedExportFile, // types from export data: 10x faster than from source
		Fset: fset,
		Dir:  root,
	}
	loaded, err := packages.Load(cfg, stdPaths...)
	if err != nil {
		return nil, fmt.Errorf("loading std: %v", err)
	}
	env := &fuzzEnv{std: map[string]*packages.Package{}, fset: fset}
	packages.Visit(loaded, nil, func(p *packages.Package) {
		if len(p.Errors) > 0 || p.Types == nil {
			return
		}
		// As packages does for "unsafe": no syntax, but every
		// types.Info map (analyzers may assume they are non-nil).
		if p.Syntax == nil {
			p.Syntax = []*ast.File{}
		}
		if p.TypesInfo == nil {
			p.TypesInfo = newTypesInfo()
		}
		// Without its imports, so that the checker runs the passes
		// that have facts on the std packages that the input imports,
		// not on all their dependencies: with no syntax, they find
		// nothing there, and each run on a package builds SSA for all
		// its dependencies.
		leaf := *p
		leaf.Imports = nil
		env.std[p.PkgPath] = &leaf
		if env.sizes == nil {
			env.sizes = p.TypesSizes
		}
	})
	if env.sizes == nil {
		env.sizes = types.SizesFor("gc", runtime.GOARCH)
	}
	fset.Iterate(func(f *token.File) bool {
		env.files = append(env.files, f)
		return true
	})

	for _, c := range kept {
		if slices.ContainsFunc(c.std, func(s string) bool { return env.std[s] == nil }) {
			continue
		}
		var ar txtar.Archive
		for _, p := range c.local {
			fp := pkgs[p]
			names := make([]string, 0, len(fp.files))
			for n := range fp.files {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				ar.Files = append(ar.Files, txtar.File{Name: p + "/" + n, Data: fp.files[n]})
			}
		}
		seed := fuzzSeed{name: c.name, archive: txtar.Format(&ar)}
		if _, ok := env.build(seed.archive, nil); !ok {
			env.illTyped = append(env.illTyped, c.name)
			continue
		}
		env.seeds = append(env.seeds, seed)
	}
	sort.Slice(env.seeds, func(i, j int) bool { return env.seeds[i].name < env.seeds[j].name })
	env.byName = map[string]*fuzzSeed{}
	for i := range env.seeds {
		env.byName[env.seeds[i].name] = &env.seeds[i]
	}
	return env, nil
}

// isSubset reports whether every element of the sorted a is in the sorted b.
func isSubset(a, b []string) bool {
	for _, s := range a {
		if _, ok := slices.BinarySearch(b, s); !ok {
			return false
		}
	}
	return true
}

func newTypesInfo() *types.Info {
	return &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		FileVersions: make(map[*ast.File]string),
	}
}

// fuzzProgram is a mutated, type-checked input, ready for analysis.
type fuzzProgram struct {
	pkgs    []*packages.Package // the input's packages, dependencies first
	sources []txtar.File        // what was type-checked
	mutated bool                // whether a mutation changed the input
}

func (p *fuzzProgram) txtar() []byte {
	return txtar.Format(&txtar.Archive{Files: p.sources})
}

// fuzzFile is one file of an input, as parsed for mutation.
type fuzzFile struct {
	pkg  string // import path
	name string // IMPORTPATH/FILE.go
	file *ast.File
}

// build parses the archive, mutates it as ops say, prints it, and
// type-checks the result. It reports false for an input that does not
// make a well-typed program.
func (env *fuzzEnv) build(archive, ops []byte) (*fuzzProgram, bool) {
	ar := txtar.Parse(archive)
	if len(ar.Files) == 0 || len(ar.Files) > 32 {
		return nil, false
	}
	// Parse for mutation.
	mfset := token.NewFileSet()
	var files []*fuzzFile
	seen := map[string]bool{}
	for _, af := range ar.Files {
		name := path.Clean(af.Name)
		dir := path.Dir(name)
		if name != af.Name || !strings.HasSuffix(name, ".go") || dir == "." ||
			strings.HasPrefix(name, "/") || strings.HasPrefix(name, "../") || seen[name] {
			return nil, false
		}
		seen[name] = true
		f, err := parser.ParseFile(mfset, name, af.Data, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, false
		}
		files = append(files, &fuzzFile{pkg: dir, name: name, file: f})
	}

	// Mutate and print.
	m := &mutator{ops: ops, files: files}
	m.run()
	prog := &fuzzProgram{mutated: m.changed}
	total := 0
	for _, ff := range files {
		src, ok := printFile(mfset, ff.file)
		if !ok {
			return nil, false
		}
		total += len(src)
		if total > fuzzMaxSource {
			return nil, false
		}
		prog.sources = append(prog.sources, txtar.File{Name: ff.name, Data: src})
	}

	// Parse again, in a file set that also holds the positions of std.
	fset := token.NewFileSet()
	fset.AddExistingFiles(env.files...)
	byPkg := map[string][]*ast.File{}
	names := map[string][]string{}
	var order []string
	for _, sf := range prog.sources {
		f, err := parser.ParseFile(fset, sf.Name, sf.Data, parser.AllErrors|parser.ParseComments)
		if err != nil {
			return nil, false
		}
		dir := path.Dir(sf.Name)
		if _, ok := byPkg[dir]; !ok {
			order = append(order, dir)
		}
		byPkg[dir] = append(byPkg[dir], f)
		names[dir] = append(names[dir], sf.Name)
	}

	// Type-check the packages, dependencies first.
	local := map[string]*packages.Package{}
	state := map[string]int{} // 1: checking, 2: done
	var check func(p string) bool
	check = func(p string) bool {
		switch state[p] {
		case 1:
			return false // import cycle
		case 2:
			return local[p] != nil
		}
		state[p] = 1
		defer func() { state[p] = 2 }()
		pkg := &packages.Package{
			ID:              p,
			PkgPath:         p,
			Name:            byPkg[p][0].Name.Name,
			Fset:            fset,
			Syntax:          byPkg[p],
			GoFiles:         names[p],
			CompiledGoFiles: names[p],
			TypesInfo:       newTypesInfo(),
			TypesSizes:      env.sizes,
			Imports:         map[string]*packages.Package{},
		}
		for _, f := range byPkg[p] {
			for _, imp := range f.Imports {
				ip, err := strconv.Unquote(imp.Path.Value)
				if err != nil {
					return false
				}
				if _, ok := byPkg[ip]; ok {
					if !check(ip) {
						return false
					}
					pkg.Imports[ip] = local[ip]
				} else if sp := env.std[ip]; sp != nil {
					pkg.Imports[ip] = sp
				} else {
					return false
				}
			}
		}
		var typeErr error
		conf := &types.Config{
			Importer: importerFunc(func(ip string) (*types.Package, error) {
				if ip == "unsafe" {
					return types.Unsafe, nil
				}
				if dep := pkg.Imports[ip]; dep != nil {
					return dep.Types, nil
				}
				return nil, fmt.Errorf("no package %q", ip)
			}),
			Sizes:     env.sizes,
			GoVersion: "go1.26",
			Error: func(err error) {
				if typeErr == nil {
					typeErr = err
				}
			},
		}
		tpkg, _ := conf.Check(p, fset, byPkg[p], pkg.TypesInfo)
		if typeErr != nil || tpkg == nil {
			return false
		}
		pkg.Types = tpkg
		local[p] = pkg
		prog.pkgs = append(prog.pkgs, pkg)
		return true
	}
	for _, p := range order {
		if !check(p) {
			return nil, false
		}
	}
	return prog, true
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// printFile formats f, with its comments if they leave it parseable.
func printFile(fset *token.FileSet, f *ast.File) ([]byte, bool) {
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, f); err == nil {
		if _, err := parser.ParseFile(token.NewFileSet(), "", buf.Bytes(), parser.SkipObjectResolution); err == nil {
			return buf.Bytes(), true
		}
	}
	// Moved statements can take their comments to odd places.
	f.Comments = nil
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Field:
			n.Doc, n.Comment = nil, nil
		case *ast.GenDecl:
			n.Doc = nil
		case *ast.FuncDecl:
			n.Doc = nil
		case *ast.ValueSpec:
			n.Doc, n.Comment = nil, nil
		case *ast.TypeSpec:
			n.Doc, n.Comment = nil, nil
		case *ast.ImportSpec:
			n.Doc, n.Comment = nil, nil
		}
		return true
	})
	buf.Reset()
	if err := format.Node(&buf, fset, f); err != nil {
		return nil, false
	}
	return buf.Bytes(), true
}

// analyze runs the checks over the program and returns what went wrong:
// errors of the checks and of the passes they require, panics, findings
// that say "internal error", and a run longer than timeout.
func (p *fuzzProgram) analyze(checks []*analysis.Analyzer, timeout time.Duration) []string {
	type result struct {
		problems []string
		panic    any
		stack    []byte
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if x := recover(); x != nil {
				r.panic = x
				r.stack = stack()
			}
			done <- r
		}()
		g, err := checker.Analyze(checks, p.pkgs, &checker.Options{SanityCheck: true})
		if err != nil {
			r.problems = append(r.problems, "checker: "+err.Error())
			return
		}
		for act := range g.All() {
			// A failed pass fails the checks that require it:
			// report the pass.
			if act.Err != nil && !strings.HasPrefix(act.Err.Error(), "failed prerequisites") {
				r.problems = append(r.problems, fmt.Sprintf("%s on %s: %v", act.Analyzer.Name, act.Package.PkgPath, act.Err))
			}
			for _, d := range act.Diagnostics {
				if strings.Contains(d.Message, "internal error") {
					r.problems = append(r.problems, fmt.Sprintf("%s on %s reports %s: %s", act.Analyzer.Name, act.Package.PkgPath, act.Package.Fset.Position(d.Pos), d.Message))
				}
			}
		}
	}()
	select {
	case r := <-done:
		if r.panic != nil {
			return append(r.problems, fmt.Sprintf("panic: %v\n%s", r.panic, r.stack))
		}
		return r.problems
	case <-time.After(timeout):
		return []string{fmt.Sprintf("analysis did not finish in %v: a hang?\n%s", timeout, allStacks())}
	}
}

func stack() []byte {
	buf := make([]byte, 1<<16)
	return buf[:runtime.Stack(buf, false)]
}

func allStacks() []byte {
	buf := make([]byte, 1<<22)
	return buf[:runtime.Stack(buf, true)]
}

// mutator applies the structure-aware mutations that its ops say to the
// syntax trees of files. Each mutation reads a kind, then the choices it
// needs; bytes past the end read as zero, and it stops at the end of ops
// or after fuzzMaxOps mutations.
type mutator struct {
	ops     []byte
	pos     int
	files   []*fuzzFile
	changed bool
	touched map[*ast.FuncType]bool // functions whose statements changed
	labels  int
	flags   map[string]bool // packages given the fuzzFlag variable

	// Sites, found anew before each mutation.
	lists  []*stmtList
	calls  []*ast.SelectorExpr // x.Lock in x.Lock() and friends
	syncTs []*ast.SelectorExpr // sync.Mutex, sync.RWMutex
	fields []*ast.Field        // named struct fields of type sync.T or *sync.T
}

// stmtList is a statement list in a block or clause.
type stmtList struct {
	list  *[]ast.Stmt
	owner ast.Node      // the block or clause
	fn    *ast.FuncType // the enclosing function
	file  *fuzzFile
	// Whether break, continue can go here.
	canBreak, canContinue bool
	// Labels of the statements around that break L, continue L can
	// name.
	breakLabels, continueLabels []string
}

// renames are the method names that a rename mutation swaps, with what
// it may swap each for: the names the types that have it mostly share
// (sync.Mutex has no RLock, but sync.RWMutex has Lock).
var renames = map[string][]string{
	"Lock":      {"Unlock", "TryLock", "Unlock", "TryLock", "RLock", "RUnlock"},
	"Unlock":    {"Lock", "TryLock", "Lock", "TryLock", "RLock", "RUnlock"},
	"TryLock":   {"Lock", "Unlock", "Lock", "Unlock", "RLock", "RUnlock"},
	"RLock":     {"RUnlock", "Lock", "Unlock", "TryLock", "TryRLock"},
	"RUnlock":   {"RLock", "Lock", "Unlock", "TryLock", "TryRLock"},
	"TryRLock":  {"RLock", "RUnlock", "Lock", "Unlock", "TryLock"},
	"Done":      {"Wait"},
	"Wait":      {"Done", "Signal", "Broadcast"},
	"Signal":    {"Wait", "Broadcast"},
	"Broadcast": {"Wait", "Signal"},
}

func (m *mutator) byte() int {
	if m.pos >= len(m.ops) {
		m.pos++
		return 0
	}
	b := m.ops[m.pos]
	m.pos++
	return int(b)
}

// intn returns a choice in [0, n).
func (m *mutator) intn(n int) int {
	if n <= 1 {
		return 0
	}
	v := m.byte()
	if n > 256 {
		v = v<<8 | m.byte()
	}
	return v % n
}

func (m *mutator) run() {
	m.touched = map[*ast.FuncType]bool{}
	for i := 0; i < fuzzMaxOps && m.pos < len(m.ops); i++ {
		m.collect()
		if m.mutate() {
			m.changed = true
		}
	}
	// A changed function with results may no longer end in a
	// terminating statement: end it in one.
	for _, ff := range m.files {
		ast.Inspect(ff.file, func(n ast.Node) bool {
			fn, body := funcType(n), funcBody(n)
			if fn == nil || body == nil || !m.touched[fn] || fn.Results == nil || len(fn.Results.List) == 0 {
				return true
			}
			if k := len(body.List); k > 0 {
				switch s := body.List[k-1].(type) {
				case *ast.ReturnStmt:
					return true
				case *ast.ExprStmt:
					if call, ok := s.X.(*ast.CallExpr); ok {
						if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "panic" {
							return true
						}
					}
				}
			}
			body.List = append(body.List, &ast.ExprStmt{X: mustExpr(`panic("fuzz")`)})
			return true
		})
	}
}

func (m *mutator) collect() {
	m.lists, m.calls, m.syncTs, m.fields = nil, nil, nil, nil
	seenList := map[*[]ast.Stmt]bool{}
	for _, ff := range m.files {
		ast.PreorderStack(ff.file, nil, func(n ast.Node, stack []ast.Node) bool {
			var list *[]ast.Stmt
			switch n := n.(type) {
			case *ast.BlockStmt:
				switch stack[len(stack)-1].(type) {
				case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
					// a list of clauses
				default:
					list = &n.List
				}
			case *ast.CaseClause:
				list = &n.Body
			case *ast.CommClause:
				list = &n.Body
			case *ast.SelectorExpr:
				if id, ok := n.X.(*ast.Ident); ok && id.Name == "sync" && (n.Sel.Name == "Mutex" || n.Sel.Name == "RWMutex") {
					m.syncTs = append(m.syncTs, n)
				}
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && renames[sel.Sel.Name] != nil {
					m.calls = append(m.calls, sel)
				}
			case *ast.StructType:
				if n.Fields != nil {
					for _, fld := range n.Fields.List {
						t := fld.Type
						if star, ok := t.(*ast.StarExpr); ok {
							t = star.X
						}
						if sel, ok := t.(*ast.SelectorExpr); ok && len(fld.Names) > 0 {
							if id, ok := sel.X.(*ast.Ident); ok && id.Name == "sync" {
								m.fields = append(m.fields, fld)
							}
						}
					}
				}
			}
			if list != nil && !seenList[list] {
				seenList[list] = true
				l := &stmtList{list: list, owner: n, file: ff}
				if blk, ok := n.(*ast.BlockStmt); ok {
					// A function's body: the function is its parent.
					if fn := funcType(stack[len(stack)-1]); fn != nil && funcBody(stack[len(stack)-1]) == blk {
						l.fn = fn
					}
				}
				for i := len(stack) - 1; l.fn == nil && i >= 0; i-- {
					l.fn = funcType(stack[i])
				}
				// The loops, switches and selects around, within
				// the function.
				scope := append(slices.Clip(stack), n)
			outer:
				for i := len(scope) - 1; i >= 0; i-- {
					switch x := scope[i].(type) {
					case *ast.FuncLit, *ast.FuncDecl:
						break outer
					case *ast.ForStmt, *ast.RangeStmt:
						l.canBreak, l.canContinue = true, true
					case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
						l.canBreak = true
					case *ast.LabeledStmt:
						switch x.Stmt.(type) {
						case *ast.ForStmt, *ast.RangeStmt:
							l.continueLabels = append(l.continueLabels, x.Label.Name)
							l.breakLabels = append(l.breakLabels, x.Label.Name)
						case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
							l.breakLabels = append(l.breakLabels, x.Label.Name)
						}
					}
				}
				if l.fn != nil {
					m.lists = append(m.lists, l)
				}
			}
			return true
		})
	}
}

func funcType(n ast.Node) *ast.FuncType {
	switch n := n.(type) {
	case *ast.FuncDecl:
		return n.Type
	case *ast.FuncLit:
		return n.Type
	}
	return nil
}

func funcBody(n ast.Node) *ast.BlockStmt {
	switch n := n.(type) {
	case *ast.FuncDecl:
		return n.Body
	case *ast.FuncLit:
		return n.Body
	}
	return nil
}

// The mutations.
const (
	mutDelete = iota
	mutDuplicate
	mutSwap
	mutMove
	mutGo
	mutDefer
	mutCall
	mutUnwrap
	mutToggle
	mutRename
	mutLoop
	mutBranch
	mutInsert
	mutSyncType
	mutFieldPointer
	mutNonBlocking
	numMutations
)

// pickList picks a statement list, a non-empty one if nonEmpty, in
// function fn if it is not nil, and marks its function as changed.
func (m *mutator) pickList(nonEmpty bool, fn *ast.FuncType) *stmtList {
	var cands []*stmtList
	for _, l := range m.lists {
		if (!nonEmpty || len(*l.list) > 0) && (fn == nil || l.fn == fn) {
			cands = append(cands, l)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	l := cands[m.intn(len(cands))]
	m.touched[l.fn] = true
	return l
}

// pickRange picks a run of one to four statements of l: [i, j). Unless
// decls, the run has no declaration: its names would go out of scope.
func (m *mutator) pickRange(l *stmtList, decls bool) (i, j int, ok bool) {
	n := len(*l.list)
	i = m.intn(n)
	j = i + 1 + m.intn(min(4, n-i))
	if !decls {
		for k := i; k < j; k++ {
			if declares((*l.list)[k]) {
				j = k
				break
			}
		}
	}
	return i, j, i < j
}

// declares reports whether s declares names in its block.
func declares(s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.AssignStmt:
		return s.Tok == token.DEFINE
	case *ast.DeclStmt:
		return true
	case *ast.LabeledStmt:
		return true
	}
	return false
}

// leaves reports whether body holds a return with results, or a
// branch to a statement around it, that would be wrong inside a
// function literal.
func leaves(body []ast.Stmt) bool {
	found := false
	var visit func(n ast.Node, loop, breakable bool)
	visit = func(n ast.Node, loop, breakable bool) {
		ast.Inspect(n, func(x ast.Node) bool {
			if found || x == nil || x == n {
				return !found
			}
			switch x := x.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				found = len(x.Results) > 0
			case *ast.BranchStmt:
				switch {
				case x.Label != nil, x.Tok == token.GOTO, x.Tok == token.FALLTHROUGH:
					found = true
				case x.Tok == token.BREAK:
					found = !breakable
				case x.Tok == token.CONTINUE:
					found = !loop
				}
			case *ast.ForStmt, *ast.RangeStmt:
				visit(x, true, true)
				return false
			case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				visit(x, loop, true)
				return false
			}
			return !found
		})
	}
	for _, s := range body {
		visit(&ast.BlockStmt{List: []ast.Stmt{s}}, false, false)
	}
	return found
}

// replace replaces (*l.list)[i:j] by stmts.
func replace(l *stmtList, i, j int, stmts ...ast.Stmt) {
	*l.list = slices.Concat((*l.list)[:i:i], stmts, (*l.list)[j:])
}

func (m *mutator) mutate() bool {
	kind := m.intn(numMutations)
	switch kind {
	case mutDelete, mutDuplicate, mutSwap, mutGo, mutDefer, mutCall, mutLoop, mutBranch:
		l := m.pickList(true, nil)
		if l == nil {
			return false
		}
		i, j, ok := m.pickRange(l, kind == mutDuplicate || kind == mutSwap)
		if !ok {
			return false
		}
		body := slices.Clone((*l.list)[i:j])
		switch kind {
		case mutGo, mutDefer, mutCall:
			if leaves(body) {
				return false
			}
		}
		switch kind {
		case mutDelete:
			replace(l, i, j)
		case mutDuplicate:
			// x := ... again is x = ...
			for k, s := range body {
				if as, ok := s.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
					c := *as
					c.Tok = token.ASSIGN
					body[k] = &c
				}
			}
			replace(l, j, j, body...)
		case mutSwap:
			k := m.intn(len(*l.list))
			(*l.list)[i], (*l.list)[k] = (*l.list)[k], (*l.list)[i]
		case mutGo:
			replace(l, i, j, &ast.GoStmt{Call: funcLitCall(body)})
		case mutDefer:
			replace(l, i, j, &ast.DeferStmt{Call: funcLitCall(body)})
		case mutCall:
			replace(l, i, j, &ast.ExprStmt{X: funcLitCall(body)})
		case mutLoop:
			replace(l, i, j, m.loop(body))
		case mutBranch:
			replace(l, i, j, m.branch(l, body))
		}
		return true

	case mutMove:
		from := m.pickList(true, nil)
		if from == nil {
			return false
		}
		i := m.intn(len(*from.list))
		s := (*from.list)[i]
		// Mostly within the function: its names are out of
		// scope in others.
		fn := from.fn
		if m.intn(4) == 0 {
			fn = nil
		}
		to := m.pickList(false, fn)
		if to == nil || contains(s, to.owner) {
			return false // a statement cannot hold itself
		}
		if m.intn(2) == 0 { // else copy
			replace(from, i, i+1)
		} else if as, ok := s.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			c := *as
			c.Tok = token.ASSIGN
			s = &c
		}
		k := m.intn(len(*to.list) + 1)
		replace(to, k, k, s)
		return true

	case mutUnwrap:
		l := m.pickList(true, nil)
		if l == nil {
			return false
		}
		i := m.intn(len(*l.list))
		inner := unwrap((*l.list)[i])
		if inner == nil {
			return false
		}
		replace(l, i, i+1, inner...)
		return true

	case mutToggle:
		l := m.pickList(true, nil)
		if l == nil {
			return false
		}
		i := m.intn(len(*l.list))
		var call *ast.CallExpr
		var was int
		switch s := (*l.list)[i].(type) {
		case *ast.ExprStmt:
			call, _ = ast.Unparen(s.X).(*ast.CallExpr)
			was = 0
		case *ast.GoStmt:
			call, was = s.Call, 1
		case *ast.DeferStmt:
			call, was = s.Call, 2
		}
		if call == nil {
			return false
		}
		var ns ast.Stmt
		switch (was + 1 + m.intn(2)) % 3 {
		case 0:
			ns = &ast.ExprStmt{X: call}
		case 1:
			ns = &ast.GoStmt{Call: call}
		case 2:
			ns = &ast.DeferStmt{Call: call}
		}
		(*l.list)[i] = ns
		return true

	case mutRename:
		if len(m.calls) == 0 {
			return false
		}
		sel := m.calls[m.intn(len(m.calls))]
		to := renames[sel.Sel.Name]
		sel.Sel = ast.NewIdent(to[m.intn(len(to))])
		return true

	case mutInsert:
		l := m.pickList(false, nil)
		if l == nil {
			return false
		}
		k := m.intn(len(*l.list) + 1)
		replace(l, k, k, m.control(l))
		return true

	case mutSyncType:
		if len(m.syncTs) == 0 {
			return false
		}
		sel := m.syncTs[m.intn(len(m.syncTs))]
		if sel.Sel.Name == "Mutex" {
			sel.Sel = ast.NewIdent("RWMutex")
		} else {
			sel.Sel = ast.NewIdent("Mutex")
		}
		return true

	case mutFieldPointer:
		if len(m.fields) == 0 {
			return false
		}
		fld := m.fields[m.intn(len(m.fields))]
		if star, ok := fld.Type.(*ast.StarExpr); ok {
			fld.Type = star.X
		} else {
			fld.Type = &ast.StarExpr{X: fld.Type}
		}
		return true

	case mutNonBlocking:
		l := m.pickList(true, nil)
		if l == nil {
			return false
		}
		i := m.intn(len(*l.list))
		s := (*l.list)[i]
		switch s := s.(type) {
		case *ast.SendStmt:
		case *ast.ExprStmt:
			if u, ok := ast.Unparen(s.X).(*ast.UnaryExpr); !ok || u.Op != token.ARROW {
				return false
			}
		default:
			return false
		}
		clauses := []ast.Stmt{&ast.CommClause{Comm: s}}
		if m.intn(2) == 0 {
			clauses = append(clauses, &ast.CommClause{})
		}
		(*l.list)[i] = &ast.SelectStmt{Body: &ast.BlockStmt{List: clauses}}
		return true
	}
	return false
}

// funcLitCall returns func() { body }().
func funcLitCall(body []ast.Stmt) *ast.CallExpr {
	return &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: body},
	}}
}

// contains reports whether the tree of s holds n.
func contains(s ast.Stmt, n ast.Node) bool {
	found := false
	ast.Inspect(s, func(x ast.Node) bool {
		if x == n {
			found = true
		}
		return !found
	})
	return found
}

// unwrap returns the statements that s runs inside it, or nil.
func unwrap(s ast.Stmt) []ast.Stmt {
	litBody := func(call *ast.CallExpr) []ast.Stmt {
		if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok && len(call.Args) == 0 {
			return lit.Body.List
		}
		return nil
	}
	switch s := s.(type) {
	case *ast.GoStmt:
		return litBody(s.Call)
	case *ast.DeferStmt:
		return litBody(s.Call)
	case *ast.ExprStmt:
		if call, ok := ast.Unparen(s.X).(*ast.CallExpr); ok {
			return litBody(call)
		}
	case *ast.BlockStmt:
		return s.List
	case *ast.IfStmt:
		return s.Body.List
	case *ast.ForStmt:
		return s.Body.List
	case *ast.RangeStmt:
		return s.Body.List
	case *ast.LabeledStmt:
		return []ast.Stmt{s.Stmt}
	case *ast.SwitchStmt:
		if len(s.Body.List) > 0 {
			return s.Body.List[0].(*ast.CaseClause).Body
		}
	case *ast.TypeSwitchStmt:
		if len(s.Body.List) > 0 {
			return s.Body.List[0].(*ast.CaseClause).Body
		}
	case *ast.SelectStmt:
		if len(s.Body.List) > 0 {
			return s.Body.List[0].(*ast.CommClause).Body
		}
	}
	return nil
}

// seqSrc is an iterator for range-over-func loops.
const seqSrc = `func(yield func(int) bool) {
	for i := range 3 {
		if !yield(i) {
			return
		}
	}
}`

// loop returns a loop whose body is body.
func (m *mutator) loop(body []ast.Stmt) ast.Stmt {
	blk := &ast.BlockStmt{List: body}
	switch m.intn(5) {
	case 0: // for { body }
		return &ast.ForStmt{Body: blk}
	case 1: // for range 2 { body }
		return &ast.RangeStmt{Tok: token.ILLEGAL, X: intLit(2), Body: blk}
	case 2: // for range func(yield func(int) bool) { ... } { body }
		return &ast.RangeStmt{Tok: token.ILLEGAL, X: mustExpr(seqSrc), Body: blk}
	case 3: // for i := 0; i < 2; i++ { body }
		i := ast.NewIdent("fuzzI")
		return &ast.ForStmt{
			Init: &ast.AssignStmt{Lhs: []ast.Expr{i}, Tok: token.DEFINE, Rhs: []ast.Expr{intLit(0)}},
			Cond: &ast.BinaryExpr{X: i, Op: token.LSS, Y: intLit(2)},
			Post: &ast.IncDecStmt{X: i, Tok: token.INC},
			Body: blk,
		}
	default: // L: for { body; break L }, L: for range seq { body; continue L }
		m.labels++
		label := ast.NewIdent(fmt.Sprintf("fuzzL%d", m.labels))
		if m.intn(2) == 0 {
			blk.List = append(slices.Clip(blk.List), &ast.BranchStmt{Tok: token.CONTINUE, Label: label})
			return &ast.LabeledStmt{Label: label, Stmt: &ast.RangeStmt{Tok: token.ILLEGAL, X: mustExpr(seqSrc), Body: blk}}
		}
		blk.List = append(slices.Clip(blk.List), &ast.BranchStmt{Tok: token.BREAK, Label: label})
		return &ast.LabeledStmt{Label: label, Stmt: &ast.ForStmt{Body: blk}}
	}
}

// branch returns a conditional statement that may run body.
func (m *mutator) branch(l *stmtList, body []ast.Stmt) ast.Stmt {
	blk := &ast.BlockStmt{List: body}
	switch m.intn(4) {
	case 0: // if fuzzFlag { body }
		return &ast.IfStmt{Cond: m.flag(l), Body: blk}
	case 1: // if fuzzFlag {} else { body }
		return &ast.IfStmt{Cond: m.flag(l), Body: &ast.BlockStmt{}, Else: blk}
	case 2: // switch { case fuzzFlag: body; default: }
		return &ast.SwitchStmt{Body: &ast.BlockStmt{List: []ast.Stmt{
			&ast.CaseClause{List: []ast.Expr{m.flag(l)}, Body: body},
			&ast.CaseClause{},
		}}}
	default: // select { case <-make(chan int): body; default: }
		return &ast.SelectStmt{Body: &ast.BlockStmt{List: []ast.Stmt{
			&ast.CommClause{Comm: &ast.ExprStmt{X: mustExpr("<-make(chan int)")}, Body: body},
			&ast.CommClause{},
		}}}
	}
}

// flag returns a boolean that is not a constant, declaring the package
// variable fuzzFlag if need be.
func (m *mutator) flag(l *stmtList) ast.Expr {
	pkg := l.file.pkg
	if m.flags == nil {
		m.flags = map[string]bool{}
	}
	if !m.flags[pkg] {
		m.flags[pkg] = true
		declared := false
		for _, ff := range m.files {
			if ff.pkg == pkg {
				for _, d := range ff.file.Decls {
					if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.VAR {
						for _, sp := range gd.Specs {
							for _, n := range sp.(*ast.ValueSpec).Names {
								declared = declared || n.Name == "fuzzFlag"
							}
						}
					}
				}
			}
		}
		if !declared {
			l.file.file.Decls = append(l.file.file.Decls, &ast.GenDecl{Tok: token.VAR, Specs: []ast.Spec{
				&ast.ValueSpec{Names: []*ast.Ident{ast.NewIdent("fuzzFlag")}, Type: ast.NewIdent("bool")},
			}})
		}
	}
	return ast.NewIdent("fuzzFlag")
}

// control returns a statement that changes the control flow.
func (m *mutator) control(l *stmtList) ast.Stmt {
	switch m.intn(9) {
	case 0:
		return m.controlReturn(l)
	case 7:
		if len(l.breakLabels) > 0 {
			return &ast.BranchStmt{Tok: token.BREAK, Label: ast.NewIdent(l.breakLabels[m.intn(len(l.breakLabels))])}
		}
		return m.controlReturn(l)
	case 8:
		if len(l.continueLabels) > 0 {
			return &ast.BranchStmt{Tok: token.CONTINUE, Label: ast.NewIdent(l.continueLabels[m.intn(len(l.continueLabels))])}
		}
		return m.controlReturn(l)
	case 1:
		if l.canBreak {
			return &ast.BranchStmt{Tok: token.BREAK}
		}
		return m.controlReturn(l)
	case 2:
		if l.canContinue {
			return &ast.BranchStmt{Tok: token.CONTINUE}
		}
		return &ast.ExprStmt{X: mustExpr(`panic("fuzz")`)}
	case 3:
		return &ast.ExprStmt{X: mustExpr(`panic("fuzz")`)}
	case 4: // select {}
		return &ast.SelectStmt{Body: &ast.BlockStmt{}}
	case 5: // for {}
		return &ast.ForStmt{Body: &ast.BlockStmt{}}
	default: // if fuzzFlag { return ... }
		return &ast.IfStmt{Cond: m.flag(l), Body: &ast.BlockStmt{List: []ast.Stmt{m.controlReturn(l)}}}
	}
}

// controlReturn returns a return statement for the function of l, with
// zero values (*new(T)) if its results are not named.
func (m *mutator) controlReturn(l *stmtList) ast.Stmt {
	ret := &ast.ReturnStmt{}
	if res := l.fn.Results; res != nil && len(res.List) > 0 && len(res.List[0].Names) == 0 {
		for _, fld := range res.List {
			ret.Results = append(ret.Results, &ast.StarExpr{X: &ast.CallExpr{
				Fun: ast.NewIdent("new"), Args: []ast.Expr{fld.Type},
			}})
		}
	}
	return ret
}

func intLit(n int) *ast.BasicLit {
	return &ast.BasicLit{Kind: token.INT, Value: strconv.Itoa(n)}
}

// mustExpr parses an expression, with no positions: positions from
// another file would confuse the printer.
func mustExpr(src string) ast.Expr {
	e, err := parser.ParseExpr(src)
	if err != nil {
		panic(err)
	}
	clearPos(reflect.ValueOf(e))
	return e
}

var posType = reflect.TypeFor[token.Pos]()

// clearPos sets every token.Pos in the tree v points to to NoPos.
func clearPos(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			clearPos(v.Elem())
		}
	case reflect.Slice:
		for i := range v.Len() {
			clearPos(v.Index(i))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Field(i)
			if f.Type() == posType {
				f.SetInt(0)
			} else if v.Type().Field(i).Name != "Obj" && v.Type().Field(i).Name != "Scope" {
				clearPos(f)
			}
		}
	}
}
