package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/syncvet/syncvet/analyzers/lockorder"
	"github.com/syncvet/syncvet/passes/lockset"
)

// The lock graph. `syncvet lockgraph PACKAGES` runs go vet with syncvet
// as the vet tool, lockorder only, and the vet-tool flag
// -lockgraph-edges: in each unit that go vet reports on (not the
// facts-only units below them), the driver's copy of lockorder prints,
// after lockorder has run, every Edges fact the unit sees (its own and
// those its dependencies' facts carry) as one JSON record on the unit's
// stdout. go vet caches that stdout with the unit's result and replays it
// when the unit is cached, and the flag is part of the cache key, so a
// cached unit yields the same edges as a fresh one. The driver merges
// the records and writes the graph; lockorder itself writes nothing.

// lockEdgesFlag is the vet-tool flag that makes a unit print its edges.
const lockEdgesFlag = "lockgraph-edges"

// lockEdgesRecord is the JSON record a unit prints: {"lockgraph": ...}.
type lockEdgesRecord struct {
	Lockgraph *lockEdgesUnit `json:"lockgraph"`
}

type lockEdgesUnit struct {
	Unit  string     `json:"unit"`
	Edges []lockEdge `json:"edges"`
}

// lockEdge is an acquired-before edge as the units print it.
type lockEdge struct {
	From string   `json:"from"`
	To   string   `json:"to"`
	Func string   `json:"func"`
	File string   `json:"file"`
	Line int      `json:"line"`
	Via  []string `json:"via,omitempty"`
}

// registerLockEdgesFlag declares -lockgraph-edges on the command line
// that unitchecker parses, so that go vet accepts it (it lists the flags
// with -flags) and hashes it into each unit's cache key.
func registerLockEdgesFlag() {
	flag.Bool(lockEdgesFlag, false, "print the lock order edges each unit sees as JSON (for 'syncvet lockgraph')")
}

// lockEdges returns as unchanged unless args set -lockgraph-edges and
// name a unit that go vet reports on; then lockorder is replaced by a
// copy that prints the unit's edges after it runs. Nothing requires
// lockorder, so the copy is safe.
func lockEdges(as []*analysis.Analyzer, args []string) []*analysis.Analyzer {
	if !lockEdgesSet(args) {
		return as
	}
	id, vetxOnly, err := readUnit(args[len(args)-1])
	if err != nil || vetxOnly {
		return as // unitchecker reports a bad config
	}
	out := make([]*analysis.Analyzer, len(as))
	for i, a := range as {
		out[i] = a
		if a.Name != lockorder.Analyzer.Name {
			continue
		}
		c := *a
		c.Run = func(pass *analysis.Pass) (any, error) {
			res, err := a.Run(pass)
			if err != nil {
				return res, err
			}
			// unitchecker has pointed os.Stdout at the file that go
			// vet caches and replays; the JSON findings follow.
			if err := printLockEdges(os.Stdout, id, pass); err != nil {
				return res, fmt.Errorf("printing the lock graph edges: %v", err)
			}
			return res, nil
		}
		out[i] = &c
	}
	return out
}

// lockEdgesSet reports whether args (a vet-tool call) set -lockgraph-edges.
func lockEdgesSet(args []string) bool {
	if len(args) == 0 || !strings.HasSuffix(args[len(args)-1], ".cfg") {
		return false
	}
	for _, a := range args[:len(args)-1] {
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && name == lockEdgesFlag {
			return !hasVal || val == "true" || val == "1"
		}
	}
	return false
}

// printLockEdges writes one record with every Edges fact that pass sees,
// sorted.
func printLockEdges(w io.Writer, unit string, pass *analysis.Pass) error {
	rec := &lockEdgesUnit{Unit: unit, Edges: []lockEdge{}}
	for _, f := range pass.AllPackageFacts() {
		es, ok := f.Fact.(*lockorder.Edges)
		if !ok {
			continue
		}
		for _, e := range es.List {
			rec.Edges = append(rec.Edges, lockEdge{From: e.From, To: e.To, Func: e.Func, File: e.File, Line: e.Line, Via: e.Via})
		}
	}
	sort.Slice(rec.Edges, func(i, j int) bool { return rec.Edges[i].less(rec.Edges[j]) })
	data, err := json.Marshal(lockEdgesRecord{rec})
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

func (e lockEdge) less(f lockEdge) bool {
	if e.From != f.From {
		return e.From < f.From
	}
	if e.To != f.To {
		return e.To < f.To
	}
	return e.label() < f.label()
}

// label names the function that made the edge, the file and line of
// the acquisition, and the calls it went through.
func (e lockEdge) label() string {
	label := fmt.Sprintf("%s %s:%d", e.Func, filepath.Base(e.File), e.Line)
	if len(e.Via) > 0 {
		label += " via " + strings.Join(e.Via, " → ")
	}
	return strings.ReplaceAll(label, `"`, `'`)
}

// lockgraph is the `syncvet lockgraph` subcommand; it returns the exit
// code: 0 when the graph was written, 1 when a package failed to load or
// lockorder failed on one (the graph is still written, without it), 2 on
// bad usage.
func lockgraph(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("syncvet lockgraph", flag.ContinueOnError)
	fs.SetOutput(stderr)
	outFile := fs.String("o", "", "write the graph to this `file` instead of standard output")
	tags := fs.String("tags", "", "comma-separated build tags, as for go build")
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: syncvet lockgraph [-o FILE] [-tags TAGS] [packages]

Writes the acquired-before graph of lock classes that lockorder finds in
the packages (default "."), their tests and their dependencies, in
Graphviz DOT: an edge A -> B means that B was acquired while A was held;
edges and classes on a cycle are red. Render it with dot -Tsvg.

Flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitClean
		}
		return exitUsage
	}
	patterns := fs.Args()
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "syncvet lockgraph: cannot find own executable: %v\n", err)
		return exitError
	}
	vet := []string{"vet", "-vettool=" + exe, "-lockorder", "-" + lockEdgesFlag, "-json"}
	if *tags != "" {
		vet = append(vet, "-tags="+*tags)
	}
	vet = append(vet, patterns...)
	var out, errOut bytes.Buffer
	cmd := exec.Command("go", vet...)
	cmd.Stdout = &out
	cmd.Stderr = io.MultiWriter(&errOut, stderr)
	runErr := cmd.Run()

	edges, failures, err := readLockEdges(out.Bytes())
	if err != nil {
		fmt.Fprintf(stderr, "syncvet lockgraph: reading vet tool output: %v\n", err)
		return exitError
	}
	code := exitClean
	for _, f := range failures {
		fmt.Fprintf(stderr, "syncvet lockgraph: %s: %s\n", f.pkg, f.msg)
		code = exitError
	}
	if runErr != nil {
		var ee *exec.ExitError
		if !errors.As(runErr, &ee) {
			fmt.Fprintf(stderr, "syncvet lockgraph: running go vet: %v\n", runErr)
		}
		for _, l := range unanalysed(failedPackages(errOut.Bytes()), *tags, patterns, nil) {
			fmt.Fprintln(stderr, l)
		}
		code = exitError
	}
	dot := renderDOT(edges)
	if *outFile == "" {
		if _, err := stdout.Write(dot); err != nil {
			fmt.Fprintf(stderr, "syncvet lockgraph: %v\n", err)
			return exitError
		}
		return code
	}
	if err := os.WriteFile(*outFile, dot, 0o644); err != nil {
		fmt.Fprintf(stderr, "syncvet lockgraph: %v\n", err)
		return exitError
	}
	return code
}

// readLockEdges reads go vet's JSON output: the units' edge records,
// merged into one edge per ordered pair of classes (the one whose label
// sorts first), sorted, and the units' findings trees, of which it keeps
// only the failures.
func readLockEdges(data []byte) ([]lockEdge, []failure, error) {
	best := map[[2]string]lockEdge{}
	var fails []failure
	seen := map[string]bool{}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var v map[string]json.RawMessage
		if err := dec.Decode(&v); err == io.EOF {
			break
		} else if err != nil {
			return nil, nil, err
		}
		if raw, ok := v["lockgraph"]; ok && len(v) == 1 {
			var u lockEdgesUnit
			if err := json.Unmarshal(raw, &u); err != nil {
				return nil, nil, err
			}
			for _, e := range u.Edges {
				k := [2]string{e.From, e.To}
				if old, ok := best[k]; !ok || e.label() < old.label() {
					best[k] = e
				}
			}
			continue
		}
		// A findings tree: unit ID to check name to findings, or to
		// {"error": ...} when the check failed.
		for id, byName := range v {
			var checks map[string]json.RawMessage
			if err := json.Unmarshal(byName, &checks); err != nil {
				return nil, nil, err
			}
			for name, raw := range checks {
				var e struct {
					Error string `json:"error"`
				}
				if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
					continue
				}
				if err := json.Unmarshal(raw, &e); err != nil {
					return nil, nil, err
				}
				pkg := strings.Fields(id)[0]
				if key := pkg + "\x00" + name + "\x00" + e.Error; !seen[key] {
					seen[key] = true
					fails = append(fails, failure{pkg, name + ": " + e.Error})
				}
			}
		}
	}
	edges := make([]lockEdge, 0, len(best))
	for _, e := range best {
		edges = append(edges, e)
	}
	sort.Slice(edges, func(i, j int) bool { return edges[i].less(edges[j]) })
	sort.Slice(fails, func(i, j int) bool {
		return fails[i].pkg+fails[i].msg < fails[j].pkg+fails[j].msg
	})
	return edges, fails, nil
}

// renderDOT writes sorted edges as a digraph; classes and edges that lie
// on a cycle (in one strongly connected component of two or more
// classes) are red.
func renderDOT(edges []lockEdge) []byte {
	adj := map[string][]string{}
	nodes := map[string]bool{}
	for _, e := range edges {
		adj[e.From] = append(adj[e.From], e.To)
		nodes[e.From], nodes[e.To] = true, true
	}
	names := make([]string, 0, len(nodes))
	for n := range nodes {
		names = append(names, n)
	}
	sort.Strings(names)
	comp := components(names, adj)
	var b bytes.Buffer
	b.WriteString("// Acquired-before graph of lock classes, written by syncvet lockgraph.\n")
	b.WriteString("// An edge A -> B: B was acquired while A was held. Red: on a cycle.\n")
	b.WriteString("digraph lockorder {\n\trankdir=LR;\n\tnode [shape=box, fontname=\"monospace\"];\n")
	for _, n := range names {
		attrs := fmt.Sprintf("label=%q", lockset.ShortClass(n))
		if comp[n] >= 0 {
			attrs += ", color=red"
		}
		fmt.Fprintf(&b, "\t%q [%s];\n", n, attrs)
	}
	for _, e := range edges {
		attrs := ""
		if comp[e.From] >= 0 && comp[e.From] == comp[e.To] {
			attrs = ", color=red, penwidth=2"
		}
		fmt.Fprintf(&b, "\t%q -> %q [label=%q%s];\n", e.From, e.To, e.label(), attrs)
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// components numbers the strongly connected components of two or more
// nodes (Tarjan's algorithm, visiting names and successors in order);
// a node on no cycle gets -1.
func components(names []string, adj map[string][]string) map[string]int {
	index, low := map[string]int{}, map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	comp := map[string]int{}
	next, ncomp := 0, 0
	var visit func(n string)
	visit = func(n string) {
		index[n], low[n] = next, next
		next++
		stack = append(stack, n)
		onStack[n] = true
		for _, m := range adj[n] {
			if _, ok := index[m]; !ok {
				visit(m)
				low[n] = min(low[n], low[m])
			} else if onStack[m] {
				low[n] = min(low[n], index[m])
			}
		}
		if low[n] != index[n] {
			return
		}
		var members []string
		for {
			m := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[m] = false
			members = append(members, m)
			if m == n {
				break
			}
		}
		id := -1
		if len(members) > 1 {
			id = ncomp
			ncomp++
		}
		for _, m := range members {
			comp[m] = id
		}
	}
	for _, n := range names {
		if _, ok := index[n]; !ok {
			visit(n)
		}
	}
	return comp
}
