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

	"golang.org/x/tools/go/gcexportdata"
)

type testFact struct {
	N int
	M map[string]int
}

func (*testFact) AFact() {}

func init() { gob.Register(new(testFact)) }

// vetx builds a .vetx file as unitchecker writes it: the export data of
// the package src, then facts.
func vetx(t *testing.T, src string, facts []gobFact) []byte {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importer.Default()}
	pkg, err := conf.Check("example.com/p", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var export bytes.Buffer
	if err := gcexportdata.Write(&export, fset, pkg); err != nil {
		t.Fatal(err)
	}
	exp := export.Bytes()[1:] // unitchecker writes it without the 'i'
	var fb bytes.Buffer
	if len(facts) > 0 {
		if err := gob.NewEncoder(&fb).Encode(facts); err != nil {
			t.Fatal(err)
		}
	}
	out := []byte("vetx")
	out = binary.LittleEndian.AppendUint32(out, uint32(len(exp)))
	out = binary.LittleEndian.AppendUint32(out, uint32(fb.Len()))
	out = append(out, exp...)
	return append(out, fb.Bytes()...)
}

func write(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func compare(t *testing.T, a, b string, common bool) (int, string) {
	var out bytes.Buffer
	code := compareDirs(a, b, common, &out)
	return code, out.String()
}

const src = "package p\n\nfunc F(x int) int { return x }\n\ntype T struct{ A int }\n"

func Test(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	name := "example.com%2Fp@b001.vetx"
	facts := []gobFact{{PkgPath: "example.com/p", Object: "F", Fact: &testFact{N: 1}}}
	write(t, a, name, vetx(t, src, facts))
	write(t, b, name, vetx(t, src, facts))
	if code, out := compare(t, a, b, false); code != 0 || !strings.Contains(out, "1 units compared, 0 differ") {
		t.Errorf("identical: exit %d\n%s", code, out)
	}

	// A fact's value differs.
	write(t, b, name, vetx(t, src, []gobFact{{PkgPath: "example.com/p", Object: "F", Fact: &testFact{N: 2}}}))
	code, out := compare(t, a, b, false)
	if code != 1 || !strings.Contains(out, "example.com/p@b001: .vetx files differ") ||
		!strings.Contains(out, "*main.testFact fact on example.com/p F: values differ") {
		t.Errorf("fact value: exit %d\n%s", code, out)
	}
	if strings.Contains(out, "export data differs") {
		t.Errorf("fact value: export data reported\n%s", out)
	}

	// Export data differs: another signature.
	write(t, b, name, vetx(t, strings.Replace(src, "F(x int) int", "F(x string) string", 1), facts))
	code, out = compare(t, a, b, false)
	if code != 1 || !strings.Contains(out, "export data differs") ||
		!strings.Contains(out, "- func F(x int) int @ p.go:3:1") || !strings.Contains(out, "+ func F(x string) string @ p.go:3:1") {
		t.Errorf("export data: exit %d\n%s", code, out)
	}

	// A map inside a fact: equal values, bytes that change.
	m := map[string]int{}
	for i := 0; i < 20; i++ {
		m[string(rune('a'+i))] = i
	}
	mf := []gobFact{{PkgPath: "example.com/p", Object: "F", Fact: &testFact{M: m}}}
	write(t, a, name, vetx(t, src, mf))
	write(t, b, name, vetx(t, src, mf))
	if code, out := compare(t, a, b, false); code == 1 && !strings.Contains(out, "encodes to different bytes each time") {
		t.Errorf("map: exit %d\n%s", code, out)
	}

	// A unit in one directory only.
	write(t, a, name, vetx(t, src, facts))
	write(t, b, name, vetx(t, src, facts))
	write(t, a, "example.com%2Fq%20%5Btest%5D@b002.vetx", vetx(t, src, facts))
	if code, out := compare(t, a, b, false); code != 1 || !strings.Contains(out, "example.com/q [test]@b002: only in") {
		t.Errorf("one side: exit %d\n%s", code, out)
	}
	if code, out := compare(t, a, b, true); code != 0 || !strings.Contains(out, "1 units compared, 0 differ (1 units in only one directory not compared)") {
		t.Errorf("-common: exit %d\n%s", code, out)
	}
}
