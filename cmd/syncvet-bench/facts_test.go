package main

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/types/objectpath"
)

// testFact stands for a fact type of the suite.
type testFact struct{ Notes []string }

func (*testFact) AFact() {}

func init() { gob.Register(new(testFact)) }

const factsSrc = `package p

type T struct{ F int }

func (T) M() {}

func (T) m() {}

type t struct{ G int }

func (t) N() {}

type u struct{ H int }

func (u) K() {}

func NewU() u { return u{} }

func Exported() {}

`

// writeVetx writes a .vetx file as unitchecker does: the header, the
// package's export data without gcexportdata's leading 'i', the facts.
func writeVetx(t *testing.T, file string, pkg *types.Package, fset *token.FileSet, facts []vetxFact) {
	t.Helper()
	var exp bytes.Buffer
	if err := gcexportdata.Write(&exp, fset, pkg); err != nil {
		t.Fatal(err)
	}
	export := exp.Bytes()[1:]
	var fb bytes.Buffer
	if err := gob.NewEncoder(&fb).Encode(facts); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	out.WriteString("vetx")
	binary.Write(&out, binary.LittleEndian, uint32(len(export)))
	binary.Write(&out, binary.LittleEndian, uint32(fb.Len()))
	out.Write(export)
	out.Write(fb.Bytes())
	if err := os.WriteFile(file, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFactStats(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", factsSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	ft, err := parser.ParseFile(fset, "p_test.go", "package p\n\nfunc TestHelper() {}\n", 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("example.com/p", fset, []*ast.File{f, ft}, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := func(name string) objectpath.Path {
		var obj types.Object
		if typ, member, ok := strings.Cut(name, "."); ok {
			named := pkg.Scope().Lookup(typ).Type().(*types.Named)
			for i := 0; i < named.NumMethods(); i++ {
				if named.Method(i).Name() == member {
					obj = named.Method(i)
				}
			}
			st := named.Underlying().(*types.Struct)
			for i := 0; i < st.NumFields(); i++ {
				if st.Field(i).Name() == member {
					obj = st.Field(i)
				}
			}
		} else {
			obj = pkg.Scope().Lookup(name)
		}
		p, err := objectpath.For(obj)
		if err != nil {
			t.Fatalf("objectpath.For(%s): %v", name, err)
		}
		return p
	}
	fact := func(n int) analysis.Fact { return &testFact{Notes: []string{strings.Repeat("x", n)}} }
	facts := []vetxFact{
		{PkgPath: "example.com/p", Object: path("Exported"), Fact: fact(10)},
		{PkgPath: "example.com/p", Object: path("T.M"), Fact: fact(10)},
		{PkgPath: "example.com/p", Object: path("T.F"), Fact: fact(10)},
		{PkgPath: "example.com/p", Object: path("T.m"), Fact: fact(100)},
		{PkgPath: "example.com/p", Object: path("u.K"), Fact: fact(400)},
		{PkgPath: "example.com/p", Object: path("u.H"), Fact: fact(400)},
		{PkgPath: "example.com/p", Object: path("t.N"), Fact: fact(1000)},
		{PkgPath: "example.com/p", Object: path("t.G"), Fact: fact(1000)},
		{PkgPath: "example.com/p", Object: path("TestHelper"), Fact: fact(300)},
		{PkgPath: "example.com/p", Fact: fact(10)},
		{PkgPath: "sync", Object: "Mutex.M0", Fact: fact(10)}, // re-exported
	}
	dir := t.TempDir()
	writeVetx(t, filepath.Join(dir, "example.com%2Fp@b001.vetx"), pkg, fset, facts)
	// A second unit re-exporting the same fact about sync.
	writeVetx(t, filepath.Join(dir, "example.com%2Fq@b002.vetx"), pkg, fset, facts[len(facts)-1:])

	r, err := factStats([]string{filepath.Join(dir, "example.com%2Fp@b001.vetx"), filepath.Join(dir, "example.com%2Fq@b002.vetx")})
	if err != nil {
		t.Fatal(err)
	}
	if r.files != 2 || r.records != 12 || len(r.undecodable) != 0 {
		t.Fatalf("files %d, records %d, undecodable %v; want 2, 12, none", r.files, r.records, r.undecodable)
	}
	ts := r.types["*main.testFact"]
	if ts == nil {
		t.Fatalf("no stats for *main.testFact: %v", r.types)
	}
	if ts.facts != 12 || ts.own != 10 || len(ts.keys) != 11 {
		t.Errorf("records %d, own %d, distinct %d; want 12, 10, 11", ts.facts, ts.own, len(ts.keys))
	}
	// Type t is not in the export data (no exported API names it), so
	// importers drop the facts about t.N and t.G (> 2000 bytes); u is,
	// through NewU, and so are its members (> 800 bytes); T.m is an
	// unexported method (> 100 bytes); the sync facts are re-exported,
	// and standard library. (objectpath has no path for an unexported
	// function or variable: x/tools drops those facts itself.)
	for _, c := range []struct {
		r        reach
		min, max int64
	}{{reachDead, 2000, 2500}, {reachViaType, 800, 1000}, {reachNone, 100, 200}} {
		if n := ts.byReach[c.r]; n < c.min || n >= c.max {
			t.Errorf("bytes of class %d = %d, want [%d, %d); all %v", c.r, n, c.min, c.max, ts.byReach)
		}
	}
	if ts.byReach[reachExported] == 0 || ts.byReach[reachPackage] == 0 || ts.byReach[reachOther] == 0 {
		t.Errorf("by reach = %v, want exported, package and re-exported bytes", ts.byReach)
	}
	if ts.std == 0 || ts.std != ts.bytes-ts.ownBytes {
		t.Errorf("std bytes %d, re-exported %d; want equal and > 0", ts.std, ts.bytes-ts.ownBytes)
	}
	// TestHelper is declared in a _test.go file; gob repeats the type
	// name before every record; neither unit is package main or an
	// external test package.
	if ts.testFile < 300 || ts.testFile >= 400 {
		t.Errorf("bytes in _test.go files = %d, want TestHelper's", ts.testFile)
	}
	if want := int64(12 * len("*main.testFact ")); ts.typeName != want {
		t.Errorf("type name bytes = %d, want %d", ts.typeName, want)
	}
	if r.unreadBytes != 0 {
		t.Errorf("unread bytes = %d, want 0", r.unreadBytes)
	}
	// The per-record sizes add up to about the files' fact bytes.
	if d := float64(ts.bytes-r.factBytes) / float64(r.factBytes); d < -0.25 || d > 0.25 {
		t.Errorf("records sum to %d bytes, files hold %d", ts.bytes, r.factBytes)
	}
	md := r.markdown(3)
	for _, want := range []string{"2 .vetx files", "| *main.testFact | 12 | 11 |", "| example.com/p |"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}
