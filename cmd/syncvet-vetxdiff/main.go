// Command syncvet-vetxdiff compares two directories of .vetx files, the
// per-unit outputs of two go vet runs with syncvet as the vet tool over
// the same packages (collected by syncvet-bench's -toolexec wrapper with
// SYNCVET_BENCH_VETX set), and reports every unit whose file differs.
// It is the determinism check of .ci/race-real: facts, and the export
// data that x/tools v0.52 writes before them, must be byte for byte the
// same in every run.
//
// Usage:
//
//	syncvet-vetxdiff [-common] DIR_A DIR_B
//
// With -common, units that only one directory has are counted but not
// reported as differences (a run in which a unit crashed lacks it and
// the units above it).
//
// For a unit that differs it says which part differs. For facts it
// decodes both sides and names each fact that differs by package,
// object path and fact type, with both values; where the values are
// equal but the bytes are not, it names the facts whose encoding is not
// stable (a map inside a fact). For export data it decodes both sides
// and names the objects whose declaration or position differs.
//
// Exit status: 0 when every file is identical, 1 when some differ, 2 on
// a usage or read error.
package main

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"flag"
	"fmt"
	"go/token"
	"go/types"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/gcexportdata"

	"github.com/syncvet/syncvet/analyzers"
)

func main() {
	fs := flag.NewFlagSet("syncvet-vetxdiff", flag.ExitOnError)
	common := fs.Bool("common", false, "compare only the units that both directories have")
	fs.Parse(os.Args[1:])
	if fs.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: syncvet-vetxdiff [-common] DIR_A DIR_B")
		os.Exit(2)
	}
	registerFacts(analyzers.All())
	os.Exit(compareDirs(fs.Arg(0), fs.Arg(1), *common, os.Stdout))
}

// registerFacts registers with gob every fact type of as and of the
// analyzers they require, as unitchecker does before decoding.
func registerFacts(as []*analysis.Analyzer) {
	seen := map[*analysis.Analyzer]bool{}
	var walk func(*analysis.Analyzer)
	walk = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, f := range a.FactTypes {
			gob.Register(f)
		}
		for _, r := range a.Requires {
			walk(r)
		}
	}
	for _, a := range as {
		walk(a)
	}
}

// compareDirs compares the .vetx files of dirs a and b and writes a
// report to w; it returns the exit status. With common, a unit that only
// one directory has is counted, not reported.
func compareDirs(a, b string, common bool, w io.Writer) int {
	na, err := vetxNames(a)
	if err != nil {
		fmt.Fprintf(w, "syncvet-vetxdiff: %v\n", err)
		return 2
	}
	nb, err := vetxNames(b)
	if err != nil {
		fmt.Fprintf(w, "syncvet-vetxdiff: %v\n", err)
		return 2
	}
	names := map[string]bool{}
	for n := range na {
		names[n] = true
	}
	for n := range nb {
		names[n] = true
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)

	differ, oneSide := 0, 0
	for _, n := range sorted {
		id := unitID(n)
		if !na[n] || !nb[n] {
			oneSide++
			if !common {
				dir := a
				if !na[n] {
					dir = b
				}
				fmt.Fprintf(w, "%s: only in %s\n", id, dir)
				differ++
			}
			continue
		}
		da, err := os.ReadFile(filepath.Join(a, n))
		if err != nil {
			fmt.Fprintf(w, "syncvet-vetxdiff: %v\n", err)
			return 2
		}
		db, err := os.ReadFile(filepath.Join(b, n))
		if err != nil {
			fmt.Fprintf(w, "syncvet-vetxdiff: %v\n", err)
			return 2
		}
		if bytes.Equal(da, db) {
			continue
		}
		differ++
		fmt.Fprintf(w, "%s: .vetx files differ (%d and %d bytes)\n", id, len(da), len(db))
		explain(w, id, da, db)
	}
	if common {
		fmt.Fprintf(w, "%d units compared, %d differ (%d units in only one directory not compared)\n", len(sorted)-oneSide, differ, oneSide)
	} else {
		fmt.Fprintf(w, "%d units compared, %d differ\n", len(sorted), differ)
	}
	if differ > 0 {
		return 1
	}
	return 0
}

// vetxNames returns the names of the .vetx files in dir.
func vetxNames(dir string) (map[string]bool, error) {
	es, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, e := range es {
		if strings.HasSuffix(e.Name(), ".vetx") {
			out[e.Name()] = true
		}
	}
	return out, nil
}

// unitID is the unit a file name stands for: "p [test]@b042" (see
// syncvet-bench's vetxFileName).
func unitID(name string) string {
	s := strings.TrimSuffix(name, ".vetx")
	if id, err := url.PathUnescape(s); err == nil {
		return id
	}
	return s
}

// split returns the export data and the facts of a .vetx file: "vetx",
// the two lengths (little-endian uint32), the export data, the facts. A
// file without that header is all facts.
func split(data []byte) (export, facts []byte) {
	if len(data) >= 12 && string(data[:4]) == "vetx" {
		t := uint64(binary.LittleEndian.Uint32(data[4:8]))
		f := uint64(binary.LittleEndian.Uint32(data[8:12]))
		if 12+t+f <= uint64(len(data)) {
			return data[12 : 12+t], data[12+t : 12+t+f]
		}
	}
	return nil, data
}

// explain writes which part of two differing .vetx files of unit id
// differs, and how.
func explain(w io.Writer, id string, a, b []byte) {
	ea, fa := split(a)
	eb, fb := split(b)
	if !bytes.Equal(ea, eb) {
		fmt.Fprintf(w, "  export data differs (%d and %d bytes, first difference at byte %d)\n", len(ea), len(eb), firstDiff(ea, eb))
		explainExport(w, pkgPath(id), ea, eb)
	}
	if !bytes.Equal(fa, fb) {
		fmt.Fprintf(w, "  facts differ (%d and %d bytes, first difference at byte %d)\n", len(fa), len(fb), firstDiff(fa, fb))
		explainFacts(w, fa, fb)
	}
}

// pkgPath is the package path of a unit ("p [test]@b042" -> "p").
func pkgPath(id string) string {
	if i := strings.IndexAny(id, " @"); i >= 0 {
		return id[:i]
	}
	return id
}

func firstDiff(a, b []byte) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// gobFact mirrors the record that x/tools' facts package encodes: gob
// matches it by field names.
type gobFact struct {
	PkgPath string
	Object  string
	Fact    analysis.Fact
}

type factKey struct{ pkg, obj, typ string }

func (k factKey) String() string {
	obj := k.obj
	if obj == "" {
		obj = "(package fact)"
	}
	return fmt.Sprintf("%s fact on %s %s", k.typ, k.pkg, obj)
}

func decodeFacts(data []byte) (map[factKey]analysis.Fact, []factKey, error) {
	var fs []gobFact
	if len(data) > 0 {
		if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&fs); err != nil {
			return nil, nil, err
		}
	}
	m := make(map[factKey]analysis.Fact, len(fs))
	var order []factKey
	for _, f := range fs {
		k := factKey{f.PkgPath, f.Object, reflect.TypeOf(f.Fact).String()}
		m[k] = f.Fact
		order = append(order, k)
	}
	return m, order, nil
}

// explainFacts names the facts that differ between two encoded sets.
func explainFacts(w io.Writer, a, b []byte) {
	ma, oa, err := decodeFacts(a)
	if err != nil {
		fmt.Fprintf(w, "  cannot decode the first facts: %v\n", err)
		return
	}
	mb, ob, err := decodeFacts(b)
	if err != nil {
		fmt.Fprintf(w, "  cannot decode the second facts: %v\n", err)
		return
	}
	found := false
	for _, k := range oa {
		fb, ok := mb[k]
		switch {
		case !ok:
			fmt.Fprintf(w, "  %s: only in the first: %s\n", k, show(ma[k]))
			found = true
		case !reflect.DeepEqual(ma[k], fb):
			fmt.Fprintf(w, "  %s: values differ\n    first:  %s\n    second: %s\n", k, show(ma[k]), show(fb))
			found = true
		}
	}
	for _, k := range ob {
		if _, ok := ma[k]; !ok {
			fmt.Fprintf(w, "  %s: only in the second: %s\n", k, show(mb[k]))
			found = true
		}
	}
	if !reflect.DeepEqual(oa, ob) && !found {
		fmt.Fprintf(w, "  the same facts in another order\n")
		found = true
	}
	for _, k := range oa {
		if !stableEncoding(ma[k]) {
			fmt.Fprintf(w, "  %s: encodes to different bytes each time (a map inside the fact?)\n", k)
			found = true
		}
	}
	if !found {
		fmt.Fprintf(w, "  the facts decode to equal values; the difference is in the encoding\n")
	}
}

// stableEncoding reports whether f gob-encodes to the same bytes in
// several tries: a map is encoded in its iteration order.
func stableEncoding(f analysis.Fact) bool {
	var first []byte
	for i := 0; i < 8; i++ {
		var buf bytes.Buffer
		x := []gobFact{{Fact: f}}
		if err := gob.NewEncoder(&buf).Encode(x); err != nil {
			return true // not the question here
		}
		if i == 0 {
			first = buf.Bytes()
		} else if !bytes.Equal(first, buf.Bytes()) {
			return false
		}
	}
	return true
}

// show renders a fact on one line, cut to a readable length.
func show(f analysis.Fact) string {
	s := fmt.Sprintf("%+v", f)
	if st, ok := f.(fmt.Stringer); ok {
		s = st.String()
	}
	s = strings.ReplaceAll(s, "\n", `\n`)
	if len(s) > 400 {
		s = s[:400] + fmt.Sprintf("… (%d bytes)", len(s))
	}
	return s
}

// explainExport decodes two export data blobs of package path and
// names the objects whose declaration or position differs.
func explainExport(w io.Writer, path string, a, b []byte) {
	da, err := describeExport(path, a)
	if err != nil {
		fmt.Fprintf(w, "  cannot decode the first export data: %v\n", err)
		return
	}
	db, err := describeExport(path, b)
	if err != nil {
		fmt.Fprintf(w, "  cannot decode the second export data: %v\n", err)
		return
	}
	shown := 0
	for _, l := range lineDiff(da, db) {
		if shown == 20 {
			fmt.Fprintf(w, "    …\n")
			break
		}
		fmt.Fprintf(w, "    %s\n", l)
		shown++
	}
	if shown == 0 {
		fmt.Fprintf(w, "  both decode to the same objects, types and positions; the difference is in the encoding\n")
	}
}

// describeExport decodes export data (unitchecker writes it as
// gcexportdata.Write does, less the leading 'i') and describes every object of the
// package, the methods of its named types and their positions, one line
// each, sorted.
func describeExport(path string, data []byte) ([]string, error) {
	fset := token.NewFileSet()
	in := io.MultiReader(strings.NewReader("i"), bytes.NewReader(data))
	pkg, err := gcexportdata.Read(in, fset, map[string]*types.Package{}, path)
	if err != nil {
		return nil, err
	}
	qual := types.RelativeTo(pkg)
	var out []string
	add := func(o types.Object) {
		out = append(out, fmt.Sprintf("%s @ %s", types.ObjectString(o, qual), fset.Position(o.Pos())))
	}
	scope := pkg.Scope()
	for _, n := range scope.Names() {
		o := scope.Lookup(n)
		add(o)
		if tn, ok := o.(*types.TypeName); ok {
			if nt, ok := tn.Type().(*types.Named); ok {
				for i := 0; i < nt.NumMethods(); i++ {
					add(nt.Method(i))
				}
			}
			if st, ok := tn.Type().Underlying().(*types.Struct); ok {
				for i := 0; i < st.NumFields(); i++ {
					add(st.Field(i))
				}
			}
		}
	}
	for _, imp := range pkg.Imports() {
		out = append(out, "import "+imp.Path())
	}
	sort.Strings(out)
	return out, nil
}

// lineDiff returns the lines only in a ("- ") and only in b ("+ "), both
// sorted.
func lineDiff(a, b []string) []string {
	inA := map[string]int{}
	for _, l := range a {
		inA[l]++
	}
	inB := map[string]int{}
	for _, l := range b {
		inB[l]++
	}
	var out []string
	for _, l := range a {
		if inB[l] == 0 {
			out = append(out, "- "+l)
		} else {
			inB[l]--
		}
	}
	for _, l := range b {
		if inA[l] == 0 {
			out = append(out, "+ "+l)
		} else {
			inA[l]--
		}
	}
	return out
}
