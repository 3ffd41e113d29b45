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
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/types/objectpath"

	"github.com/syncvet/syncvet/analyzers"
)

// The facts subcommand breaks down the facts of the .vetx files that a
// run with -vetx collected (or any directory of them named as the
// -toolexec wrapper names them): bytes by fact type, how many of them
// each unit re-exports from its imports, how many describe objects that
// no other package can name, and what gob decoding and encoding them
// costs. It is the measuring tool behind the facts diet of issue 18.

// vetxFact mirrors the record that x/tools' facts package encodes: gob
// decodes by field name, so the field types need only be compatible.
type vetxFact struct {
	PkgPath string
	Object  objectpath.Path
	Fact    analysis.Fact
}

// reach classifies what a fact is about, for other packages.
type reach int

const (
	reachPackage  reach = iota // a package fact
	reachExported              // an exported object of an exported type, or package-level
	reachViaType               // an exported method or field of an unexported type
	reachNone                  // an unexported method or field: no other package can name it
	reachDead                  // an object the unit's export data lacks: importers decode the fact and drop it
	reachOther                 // a fact about another package, re-exported
	numReach
)

// typeStat is what the facts of one type add up to.
type typeStat struct {
	name          string
	facts, bytes  int64
	own, ownBytes int64 // about the unit's own package
	std           int64 // bytes about standard-library packages
	byReach       [numReach]int64
	keys          map[string]bool // distinct (package, object)
	decode        time.Duration   // gob-decoding a stream of only this type's records
	largest       int64
	largestWhere  string
	// framing: bytes of each record spent on the gob interface's
	// concrete type name, which gob repeats for every value, and on the
	// package and object paths.
	typeName, pkgPaths, objPaths int64
	// testFile: bytes of own facts about objects declared in _test.go
	// files, which only the package's external tests can import.
	testFile        int64
	records         []vetxFact // for the per-type decode timing
	recordsDropped  bool
	recordsKeptSize int64
}

// factsReport is the breakdown of one set of .vetx files.
type factsReport struct {
	files          int
	factBytes      int64 // as the files hold them
	exportBytes    int64
	records        int64
	decode, encode time.Duration // whole files, gob only (no objectpath lookups)
	types          map[string]*typeStat
	biggest        []bigFact
	undecodable    []string
	unitBytes      map[string]int64
	// unreadBytes are the fact bytes of units whose .vetx file no other
	// unit reads: package main and external test packages.
	unreadBytes int64
}

type bigFact struct {
	typ, where string
	bytes      int64
}

// maxTimedRecords bounds the records kept per type for the decode
// timing.
const maxTimedRecords = 200000

func factsMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("syncvet-bench facts", flag.ContinueOnError)
	fs.SetOutput(stderr)
	top := fs.Int("top", 10, "how many of the largest single facts and units to list")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: syncvet-bench facts [-top N] DIR...")
		return 2
	}
	registerFacts(analyzers.All())
	var files []string
	for _, dir := range fs.Args() {
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".vetx") {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			fmt.Fprintf(stderr, "syncvet-bench facts: %v\n", err)
			return 2
		}
	}
	r, err := factStats(files)
	if err != nil {
		fmt.Fprintf(stderr, "syncvet-bench facts: %v\n", err)
		return 1
	}
	io.WriteString(stdout, r.markdown(*top))
	return 0
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

// splitVetx returns the export data and the facts of a .vetx file (see
// vetxSizes).
func splitVetx(data []byte) (export, facts []byte) {
	if len(data) >= 12 && string(data[:4]) == "vetx" {
		t := uint64(binary.LittleEndian.Uint32(data[4:8]))
		f := uint64(binary.LittleEndian.Uint32(data[8:12]))
		if 12+t+f <= uint64(len(data)) {
			return data[12 : 12+t], data[12+t : 12+t+f]
		}
	}
	return nil, data
}

// vetxUnit returns the unit ID and package path of a file named by
// vetxFileName: "net/http [net/http.test]@b042.vetx".
func vetxUnit(file string) (id, pkg string) {
	s := strings.TrimSuffix(filepath.Base(file), ".vetx")
	if u, err := url.PathUnescape(s); err == nil {
		s = u
	}
	if i := strings.LastIndex(s, "@"); i >= 0 {
		s = s[:i]
	}
	id = strings.TrimSuffix(s, " [test]")
	pkg = id
	if i := strings.Index(pkg, " "); i >= 0 {
		pkg = pkg[:i]
	}
	return id, pkg
}

func isStdPath(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".")
}

func factStats(files []string) (*factsReport, error) {
	r := &factsReport{types: map[string]*typeStat{}, unitBytes: map[string]int64{}}
	encs := map[string]*countingEncoder{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		export, facts := splitVetx(data)
		r.files++
		r.factBytes += int64(len(facts))
		r.exportBytes += int64(len(export))
		id, pkgPath := vetxUnit(file)
		r.unitBytes[id] += int64(len(facts))
		if len(facts) == 0 {
			continue
		}
		var recs []vetxFact
		start := time.Now()
		if err := gob.NewDecoder(bytes.NewReader(facts)).Decode(&recs); err != nil {
			r.undecodable = append(r.undecodable, fmt.Sprintf("%s: %v", filepath.Base(file), err))
			continue
		}
		r.decode += time.Since(start)
		start = time.Now()
		if err := gob.NewEncoder(io.Discard).Encode(recs); err != nil {
			return nil, fmt.Errorf("%s: re-encoding: %v", file, err)
		}
		r.encode += time.Since(start)
		var own *types.Package
		fset := token.NewFileSet()
		if len(export) > 0 {
			own, _ = gcexportdata.Read(io.MultiReader(strings.NewReader("i"), bytes.NewReader(export)), fset, map[string]*types.Package{}, pkgPath)
		}
		if own != nil && own.Name() == "main" || strings.HasSuffix(pkgPath, "_test") {
			r.unreadBytes += int64(len(facts))
		}
		for _, rec := range recs {
			r.records++
			name := reflect.TypeOf(rec.Fact).String()
			ts := r.types[name]
			if ts == nil {
				ts = &typeStat{name: name, keys: map[string]bool{}}
				r.types[name] = ts
			}
			enc := encs[name]
			if enc == nil {
				enc = newCountingEncoder()
				encs[name] = enc
			}
			n, err := enc.size(rec)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", file, err)
			}
			ts.facts++
			ts.bytes += n
			ts.typeName += int64(len(gobName(rec.Fact)) + 1)
			ts.pkgPaths += int64(len(rec.PkgPath) + 1)
			ts.objPaths += int64(len(rec.Object) + 1)
			ts.keys[rec.PkgPath+"\x00"+string(rec.Object)] = true
			if rec.PkgPath == pkgPath {
				ts.own++
				ts.ownBytes += n
			}
			if isStdPath(rec.PkgPath) {
				ts.std += n
			}
			ts.byReach[classify(rec, pkgPath, own)] += n
			if rec.PkgPath == pkgPath && rec.Object != "" && own != nil {
				if obj, err := objectpath.Object(own, rec.Object); err == nil && strings.HasSuffix(fset.Position(obj.Pos()).Filename, "_test.go") {
					ts.testFile += n
				}
			}
			where := rec.PkgPath
			if rec.Object != "" {
				where += " " + string(rec.Object)
			}
			where += " (in " + id + ")"
			if n > ts.largest {
				ts.largest, ts.largestWhere = n, where
			}
			r.biggest = append(r.biggest, bigFact{typ: name, where: where, bytes: n})
			if len(ts.records) < maxTimedRecords {
				ts.records = append(ts.records, rec)
				ts.recordsKeptSize += n
			} else {
				ts.recordsDropped = true
			}
		}
		sort.Slice(r.biggest, func(i, j int) bool { return r.biggest[i].bytes > r.biggest[j].bytes })
		if len(r.biggest) > 100 {
			r.biggest = r.biggest[:100]
		}
	}
	// Decoding cost per type: one stream of each type's records.
	for _, ts := range r.types {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(ts.records); err != nil {
			return nil, err
		}
		var back []vetxFact
		start := time.Now()
		if err := gob.NewDecoder(&buf).Decode(&back); err != nil {
			return nil, err
		}
		ts.decode = time.Since(start)
		ts.records = nil
	}
	return r, nil
}

// gobName is the name gob sends before every interface value of f's
// type: the name gob.Register gave it, which for a pointer type (every
// fact type) is the type's printed form, "*lockset.Summary".
func gobName(f analysis.Fact) string {
	rt := reflect.TypeOf(f)
	if rt.Name() == "" || rt.PkgPath() == "" {
		return rt.String()
	}
	return rt.PkgPath() + "." + rt.Name()
}

// classify says whether a fact of unit pkgPath is about something other
// packages can name, resolving its object in the unit's own export data
// (own; nil if the file has none, and then every object fact is
// reachOther).
func classify(rec vetxFact, pkgPath string, own *types.Package) reach {
	if rec.Object == "" {
		return reachPackage
	}
	if rec.PkgPath != pkgPath || own == nil {
		return reachOther
	}
	// Importers type-check against this export data and resolve the
	// object path in it; a fact whose object is not there is decoded by
	// every importer and then discarded.
	obj, err := objectpath.Object(own, rec.Object)
	if err != nil {
		return reachDead
	}
	if !obj.Exported() {
		return reachNone
	}
	var owner *types.TypeName
	switch o := obj.(type) {
	case *types.Func:
		if sig, ok := o.Type().(*types.Signature); ok && sig.Recv() != nil {
			t := sig.Recv().Type()
			if p, ok := t.(*types.Pointer); ok {
				t = p.Elem()
			}
			if n, ok := t.(*types.Named); ok {
				owner = n.Obj()
			}
		}
	case *types.Var:
		if o.IsField() {
			// The path names the struct through its package-level
			// type: the first element of the path.
			first, _, _ := strings.Cut(string(rec.Object), ".")
			if tn, ok := own.Scope().Lookup(first).(*types.TypeName); ok {
				owner = tn
			}
		}
	}
	if owner != nil && !owner.Exported() {
		return reachViaType
	}
	return reachExported
}

// countingEncoder measures the bytes one record adds to a gob stream
// that has already carried its type.
type countingEncoder struct {
	buf bytes.Buffer
	enc *gob.Encoder
}

func newCountingEncoder() *countingEncoder {
	c := &countingEncoder{}
	c.enc = gob.NewEncoder(&c.buf)
	return c
}

func (c *countingEncoder) size(rec vetxFact) (int64, error) {
	before := c.buf.Len()
	if err := c.enc.Encode(&rec); err != nil {
		return 0, err
	}
	n := int64(c.buf.Len() - before)
	if c.buf.Len() > 1<<20 {
		c.buf.Reset() // the encoder keeps the type; only the count matters
	}
	return n, nil
}

func kib(n int64) string { return fmt.Sprintf("%.0f", float64(n)/1024) }

func (r *factsReport) markdown(top int) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("%d .vetx files: %s KiB of facts (%d records), %s KiB of export data. gob decoding every file took %.2f s, re-encoding the decoded records %.2f s (one thread, no objectpath lookups).\n\n",
		r.files, kib(r.factBytes), r.records, kib(r.exportBytes), r.decode.Seconds(), r.encode.Seconds())
	var ts []*typeStat
	var total int64
	for _, t := range r.types {
		ts = append(ts, t)
		total += t.bytes
	}
	sort.Slice(ts, func(i, j int) bool {
		if ts[i].bytes != ts[j].bytes {
			return ts[i].bytes > ts[j].bytes
		}
		return ts[i].name < ts[j].name
	})
	p("Bytes are each record's share of a gob stream that already carries its type (they add up to within a few per cent of the files' fact bytes). *own*: about the unit's own package; the rest the unit re-exports from its imports. *distinct*: distinct (package, object) pairs over all files. *std*: about standard-library packages. *dead*: about own objects that the unit's export data lacks (unexported types no exported API mentions, and their members): every importer gob-decodes them, fails to find the object and drops them; *unexported*: unexported methods and fields, which importers resolve but cannot call or name; *via type*: exported methods and fields of unexported types the API exposes. *in _test.go*: own facts about objects declared in _test.go files, which only the external test package can import. *framing*: what each record spends on the concrete type name that gob repeats before every interface value, on its package path and on its object path. *decode*: gob-decoding one stream of the type's records.\n\n")
	p("%s KiB (%s) of the fact bytes are in units whose .vetx file no other unit reads (package main, external test packages).\n\n", kib(r.unreadBytes), pct(float64(r.unreadBytes)/float64(max(r.factBytes, 1))))
	p("| fact type | records | distinct | KiB | share | own KiB | re-exported KiB | std KiB | dead KiB | unexported KiB | via type KiB | in _test.go KiB | framing KiB: type name / package / object | decode ms | largest record |\n")
	p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, t := range ts {
		share := 0.0
		if total > 0 {
			share = float64(t.bytes) / float64(total)
		}
		dec := fmt.Sprintf("%.0f", float64(t.decode.Microseconds())/1000)
		if t.recordsDropped {
			dec += fmt.Sprintf(" (first %d)", maxTimedRecords)
		}
		p("| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s / %s | %s | %d B: %s |\n", t.name, t.facts, len(t.keys), kib(t.bytes), pct(share),
			kib(t.ownBytes), kib(t.bytes-t.ownBytes), kib(t.std), kib(t.byReach[reachDead]), kib(t.byReach[reachNone]), kib(t.byReach[reachViaType]), kib(t.testFile),
			kib(t.typeName), kib(t.pkgPaths), kib(t.objPaths), dec, t.largest, t.largestWhere)
	}
	p("\n")
	if top > 0 {
		p("Largest single records:\n\n| fact type | bytes | about |\n|---|---:|---|\n")
		for i, f := range r.biggest {
			if i == top {
				break
			}
			p("| %s | %d | %s |\n", f.typ, f.bytes, f.where)
		}
		p("\n")
		var units []string
		for u := range r.unitBytes {
			units = append(units, u)
		}
		sort.Slice(units, func(i, j int) bool {
			if r.unitBytes[units[i]] != r.unitBytes[units[j]] {
				return r.unitBytes[units[i]] > r.unitBytes[units[j]]
			}
			return units[i] < units[j]
		})
		p("Units with the most fact bytes:\n\n| unit | facts KiB |\n|---|---:|\n")
		for i, u := range units {
			if i == top {
				break
			}
			p("| %s | %s |\n", u, kib(r.unitBytes[u]))
		}
		p("\n")
	}
	if len(r.undecodable) > 0 {
		p("Undecodable (fact types of another build?):\n\n")
		for _, u := range r.undecodable {
			p("- %s\n", u)
		}
		p("\n")
	}
	return b.String()
}
