package lockorder

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/syncvet/syncvet/passes/lockset"
)

// dotEdge is one edge of the DOT file: classes and a label naming the
// first site (in sorted order) that creates it.
type dotEdge struct {
	from, to, label string
}

var dotEdgeLine = regexp.MustCompile(`^\t"([^"]*)" -> "([^"]*)" \[label="([^"]*)"`)

// writeGraph merges the visible edges (this package's and its
// dependencies') into the DOT file at path, under a file lock so that
// concurrent vet processes do not lose each other's edges. The output is
// sorted, so it does not depend on the order packages were analysed in.
func (c *checker) writeGraph(path string) error {
	unlock, err := lockFile(path + ".lock")
	if err != nil {
		return err
	}
	defer unlock()

	edges := map[[2]string]string{}
	add := func(from, to, label string) {
		k := [2]string{from, to}
		if old, ok := edges[k]; !ok || label < old {
			edges[k] = label
		}
	}
	if data, err := os.ReadFile(path); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			if m := dotEdgeLine.FindStringSubmatch(sc.Text()); m != nil {
				add(m[1], m[2], m[3])
			}
		}
	} else if !os.IsNotExist(err) {
		return err
	}
	for _, es := range c.graph() {
		for _, e := range es {
			add(e.From, e.To, edgeLabel(e.Edge))
		}
	}
	var list []dotEdge
	for k, l := range edges {
		list = append(list, dotEdge{k[0], k[1], l})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].from != list[j].from {
			return list[i].from < list[j].from
		}
		return list[i].to < list[j].to
	})
	tmp, err := os.CreateTemp(filepath.Dir(path), ".lockgraph-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(renderDOT(list)); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func edgeLabel(e Edge) string {
	label := fmt.Sprintf("%s %s:%d", e.Func, filepath.Base(e.File), e.Line)
	if len(e.Via) > 0 {
		label += " via " + strings.Join(e.Via, " → ")
	}
	return strings.ReplaceAll(label, `"`, `'`)
}

// renderDOT writes sorted edges as a digraph; edges and nodes that lie
// on a cycle (in one strongly connected component) are red.
func renderDOT(list []dotEdge) []byte {
	adj := map[string][]string{}
	nodes := map[string]bool{}
	for _, e := range list {
		adj[e.from] = append(adj[e.from], e.to)
		nodes[e.from], nodes[e.to] = true, true
	}
	comp := scc(adj, nodes)
	var names []string
	for n := range nodes {
		names = append(names, n)
	}
	sort.Strings(names)
	var b bytes.Buffer
	b.WriteString("// Acquired-before graph of lock classes, written by syncvet -lockorder.lockgraph.\n")
	b.WriteString("// An edge A -> B: B was acquired while A was held. Red: on a cycle.\n")
	b.WriteString("digraph lockorder {\n\trankdir=LR;\n\tnode [shape=box, fontname=\"monospace\"];\n")
	for _, n := range names {
		attrs := fmt.Sprintf("label=%q", lockset.ShortClass(n))
		if comp[n] >= 0 {
			attrs += ", color=red"
		}
		fmt.Fprintf(&b, "\t%q [%s];\n", n, attrs)
	}
	for _, e := range list {
		attrs := ""
		if comp[e.from] >= 0 && comp[e.from] == comp[e.to] {
			attrs = ", color=red, penwidth=2"
		}
		fmt.Fprintf(&b, "\t\"%s\" -> \"%s\" [label=\"%s\"%s];\n", e.from, e.to, e.label, attrs)
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// scc numbers the strongly connected components with more than one node
// (Tarjan); nodes outside any cycle get -1.
func scc(adj map[string][]string, nodes map[string]bool) map[string]int {
	var names []string
	for n := range nodes {
		names = append(names, n)
	}
	sort.Strings(names)
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
		if low[n] == index[n] {
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
	}
	for _, n := range names {
		if _, ok := index[n]; !ok {
			visit(n)
		}
	}
	return comp
}
