package lockorder

import (
	"fmt"
	"go/token"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/syncvet/syncvet/internal/names"
	"github.com/syncvet/syncvet/passes/lockset"
)

// graphEdge is an edge of the whole visible graph.
type graphEdge struct {
	Edge
	local *site // nil for an imported edge
}

// graph returns every visible edge, imported and local, by source class,
// in a deterministic order.
func (c *checker) graph() map[string][]*graphEdge {
	g := map[string][]*graphEdge{}
	seen := map[[2]string]bool{}
	for _, s := range c.local {
		g[s.edge.From] = append(g[s.edge.From], &graphEdge{Edge: s.edge, local: s})
		seen[[2]string{s.edge.From, s.edge.To}] = true
	}
	facts := c.pass.AllPackageFacts()
	sort.Slice(facts, func(i, j int) bool { return facts[i].Package.Path() < facts[j].Package.Path() })
	for _, f := range facts {
		es, ok := f.Fact.(*Edges)
		if !ok || f.Package == c.pass.Pkg {
			continue
		}
		for _, e := range es.List {
			pair := [2]string{e.From, e.To}
			if seen[pair] {
				continue
			}
			seen[pair] = true
			g[e.From] = append(g[e.From], &graphEdge{Edge: e})
		}
	}
	for _, es := range g {
		sort.SliceStable(es, func(i, j int) bool { return es[i].To < es[j].To })
	}
	return g
}

// cycles reports each cycle of classes once, at a local edge closing it.
func (c *checker) cycles() {
	if len(c.local) == 0 {
		return
	}
	g := c.graph()
	seen := map[string]bool{}
	var found [][]*graphEdge
	for _, s := range c.local {
		path := shortestPath(g, s.edge.To, s.edge.From)
		if path == nil {
			continue
		}
		cycle := append([]*graphEdge{{Edge: s.edge, local: s}}, path...)
		if gated(cycle) {
			continue
		}
		key := cycleKey(cycle)
		if seen[key] {
			continue
		}
		seen[key] = true
		found = append(found, cycle)
	}
	// One finding per edge to break: the edge that closes the most
	// cycles left is reported with one of them and a count of the
	// others, which then need no finding of their own.
	for len(found) > 0 {
		count := map[[2]string]int{}
		var order [][2]string
		for _, cy := range found {
			for _, e := range cy {
				k := [2]string{e.From, e.To}
				if count[k] == 0 {
					order = append(order, k)
				}
				count[k]++
			}
		}
		best := order[0]
		for _, k := range order[1:] {
			if count[k] > count[best] {
				best = k
			}
		}
		var pick []*graphEdge
		var rest [][]*graphEdge
		for _, cy := range found {
			if !hasEdge(cy, best) {
				rest = append(rest, cy)
				continue
			}
			if pick == nil || cy[0].From == best[0] && cy[0].To == best[1] && !(pick[0].From == best[0] && pick[0].To == best[1]) {
				pick = cy
			}
		}
		c.reportCycle(pick, count[best]-1, best)
		found = rest
	}
}

// hasEdge reports whether the cycle has the edge from k[0] to k[1].
func hasEdge(cycle []*graphEdge, k [2]string) bool {
	for _, e := range cycle {
		if e.From == k[0] && e.To == k[1] {
			return true
		}
	}
	return false
}

// gated reports whether two edges of the cycle cannot be in progress at
// once: a deadlock needs one goroutine at each edge, each holding the
// edge's From class and its gates, and two goroutines cannot both hold
// one lock of a class that both edges hold exclusively (the outer lock
// that serializes the code of both edges).
func gated(cycle []*graphEdge) bool {
	for i, a := range cycle {
		heldA := append([]string{a.From}, a.Gates...)
		for _, b := range cycle[i+1:] {
			heldB := append([]string{b.From}, b.Gates...)
			if len(intersectStrings(heldA, heldB)) > 0 {
				return true
			}
		}
	}
	return false
}

// shortestPath finds the shortest path of edges from -> ... -> to.
func shortestPath(g map[string][]*graphEdge, from, to string) []*graphEdge {
	prev := map[string]*graphEdge{}
	visited := map[string]bool{from: true}
	queue := []string{from}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if n == to {
			var path []*graphEdge
			for n != from {
				e := prev[n]
				path = append([]*graphEdge{e}, path...)
				n = e.From
			}
			return path
		}
		for _, e := range g[n] {
			if !visited[e.To] {
				visited[e.To] = true
				prev[e.To] = e
				queue = append(queue, e.To)
			}
		}
	}
	return nil
}

func cycleKey(cycle []*graphEdge) string {
	var ss []string
	for _, e := range cycle {
		ss = append(ss, e.From+"->"+e.To)
	}
	sort.Strings(ss)
	return strings.Join(ss, ";")
}

func (c *checker) className(class string) string {
	return lockset.ClassName(class, c.pass.Pkg.Path())
}

// reportCycle reports the cycle; more is how many other cycles go
// through its edge key, which the message then names.
func (c *checker) reportCycle(cycle []*graphEdge, more int, key [2]string) {
	s := cycle[0].local
	from, to := c.className(s.edge.From), c.className(s.edge.To)
	var msg string
	if len(cycle) == 2 {
		o := cycle[1]
		msg = fmt.Sprintf("lock order inversion: %s acquired while holding %s%s; %s acquires them in the other order",
			to, from, viaText(s.edge.Via), c.edgeFunc(o))
	} else {
		classes := []string{from}
		for _, e := range cycle {
			classes = append(classes, c.className(e.To))
		}
		msg = fmt.Sprintf("lock order cycle %s: %s acquired while holding %s%s",
			names.Chain(classes), to, from, viaText(s.edge.Via))
	}
	if more > 0 {
		msg += fmt.Sprintf(" (and %d more %s through %s → %s)", more, names.Plural(more, "cycle", "cycles"), c.className(key[0]), c.className(key[1]))
	}
	d := analysis.Diagnostic{Pos: s.pos, Category: CategoryCycle, Message: msg}
	for _, e := range cycle[1:] {
		pos := token.NoPos
		if e.local != nil {
			pos = e.local.pos
		} else {
			pos = c.position(e.File, e.Line)
		}
		if !pos.IsValid() {
			continue
		}
		d.Related = append(d.Related, analysis.RelatedInformation{
			Pos:     pos,
			Message: fmt.Sprintf("%s acquired while holding %s in %s%s", c.className(e.To), c.className(e.From), c.edgeFunc(e), viaText(e.Via)),
		})
	}
	c.pass.Report(d)
}

// edgeFunc names the function of an edge: unqualified when local.
func (c *checker) edgeFunc(e *graphEdge) string {
	if e.local == nil {
		return e.Func
	}
	return strings.ReplaceAll(e.Func, c.pass.Pkg.Name()+".", "")
}

// position resolves a file and line of any package in the file set.
func (c *checker) position(file string, line int) token.Pos {
	if c.files == nil {
		c.files = map[string]*token.File{}
		c.pass.Fset.Iterate(func(f *token.File) bool {
			if _, ok := c.files[f.Name()]; !ok {
				c.files[f.Name()] = f
			}
			return true
		})
	}
	f := c.files[file]
	if f == nil || line < 1 || line > f.LineCount() {
		return token.NoPos
	}
	return f.LineStart(line)
}
