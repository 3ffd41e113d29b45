package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"sort"
	"strconv"
	"strings"
)

// result is one benchmark line: BenchmarkGroup/strategy-cores.
type result struct {
	group    string             // "Counter"
	strategy string             // "mutex"; "" for a benchmark without sub-benchmarks
	cores    int                // GOMAXPROCS: the -N suffix, 1 when absent
	nsPerOp  float64            // the ns/op column
	metrics  map[string]float64 // every other unit: "threads/op", "B/op", ...
}

// results is everything read from benchmark output.
type results struct {
	list   []result
	cpu    string            // the "cpu:" header line
	goos   string            // "goos:"
	goarch string            // "goarch:"
	pkgs   []string          // "pkg:" lines, in order
	meta   map[string]string // "syncvet-report-KEY: value" lines that this command wrote into bench.txt
}

// metaPrefix starts the lines in which bench.txt records how it was
// measured, so that a report redrawn from the file keeps that.
const metaPrefix = "syncvet-report-"

// parse reads go test benchmark output, either plain text (go test
// -bench, or a test binary run with -test.bench) or the JSON stream of
// go test -json, and appends what it finds to rs.
func (rs *results) parse(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	text, err := textOf(data)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, metaPrefix):
			k, v, _ := strings.Cut(strings.TrimPrefix(line, metaPrefix), ":")
			if rs.meta == nil {
				rs.meta = make(map[string]string)
			}
			rs.meta[k] = strings.TrimSpace(v)
		case strings.HasPrefix(line, "cpu:"):
			rs.cpu = strings.TrimSpace(strings.TrimPrefix(line, "cpu:"))
		case strings.HasPrefix(line, "goos:"):
			rs.goos = strings.TrimSpace(strings.TrimPrefix(line, "goos:"))
		case strings.HasPrefix(line, "goarch:"):
			rs.goarch = strings.TrimSpace(strings.TrimPrefix(line, "goarch:"))
		case strings.HasPrefix(line, "pkg:"):
			rs.pkgs = append(rs.pkgs, strings.TrimSpace(strings.TrimPrefix(line, "pkg:")))
		case strings.HasPrefix(line, "Benchmark"):
			if r, ok := parseLine(line); ok {
				rs.list = append(rs.list, r)
			}
		}
	}
	return sc.Err()
}

// textOf returns the plain text of benchmark output: data itself, or,
// when data is a go test -json stream, its output events joined per
// package in order (a benchmark's name and its numbers arrive as
// separate events).
func textOf(data []byte) (string, error) {
	trimmed := bytes.TrimSpace(data)
	if !bytes.HasPrefix(trimmed, []byte("{")) {
		return string(data), nil
	}
	var order []string
	perPkg := make(map[string]*strings.Builder)
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var ev struct {
			Action  string
			Package string
			Output  string
		}
		if err := dec.Decode(&ev); err == io.EOF {
			break
		} else if err != nil {
			return "", err
		}
		if ev.Action != "output" {
			continue
		}
		b, ok := perPkg[ev.Package]
		if !ok {
			b = new(strings.Builder)
			perPkg[ev.Package] = b
			order = append(order, ev.Package)
		}
		b.WriteString(ev.Output)
	}
	var all strings.Builder
	for _, p := range order {
		all.WriteString(perPkg[p].String())
		all.WriteString("\n")
	}
	return all.String(), nil
}

// parseLine parses "BenchmarkCounter/mutex-2  8657016  19.72 ns/op  0 B/op".
func parseLine(line string) (result, bool) {
	fields := strings.Fields(line)
	if len(fields) < 4 || fields[3] != "ns/op" {
		return result{}, false
	}
	if _, err := strconv.Atoi(fields[1]); err != nil {
		return result{}, false
	}
	ns, err := strconv.ParseFloat(fields[2], 64)
	if err != nil {
		return result{}, false
	}
	r := result{nsPerOp: ns, cores: 1, metrics: make(map[string]float64)}
	name := strings.TrimPrefix(fields[0], "Benchmark")
	if i := strings.LastIndex(name, "-"); i >= 0 {
		if n, err := strconv.Atoi(name[i+1:]); err == nil && n > 0 {
			r.cores, name = n, name[:i]
		}
	}
	r.group, r.strategy, _ = strings.Cut(name, "/")
	for i := 4; i+1 < len(fields); i += 2 {
		v, err := strconv.ParseFloat(fields[i], 64)
		if err != nil {
			break
		}
		r.metrics[fields[i+1]] = v
	}
	return r, true
}

// cell holds the repeated measurements of one strategy on one core
// count.
type cell struct {
	ns      []float64
	metrics map[string][]float64
}

// table is one group: strategies in order of first appearance, core
// counts ascending, and the measurements.
type table struct {
	group      string
	strategies []string
	cores      []int
	cells      map[string]map[int]*cell
	units      []string // extra metric units, sorted
}

// tables groups the results by benchmark group, in order of first
// appearance.
func (rs *results) tables() []*table {
	var out []*table
	byGroup := make(map[string]*table)
	for _, r := range rs.list {
		t, ok := byGroup[r.group]
		if !ok {
			t = &table{group: r.group, cells: make(map[string]map[int]*cell)}
			byGroup[r.group] = t
			out = append(out, t)
		}
		row, ok := t.cells[r.strategy]
		if !ok {
			row = make(map[int]*cell)
			t.cells[r.strategy] = row
			t.strategies = append(t.strategies, r.strategy)
		}
		c, ok := row[r.cores]
		if !ok {
			c = &cell{metrics: make(map[string][]float64)}
			row[r.cores] = c
		}
		c.ns = append(c.ns, r.nsPerOp)
		for u, v := range r.metrics {
			c.metrics[u] = append(c.metrics[u], v)
		}
	}
	for _, t := range out {
		cores := make(map[int]bool)
		units := make(map[string]bool)
		for _, row := range t.cells {
			for n, c := range row {
				cores[n] = true
				for u := range c.metrics {
					units[u] = true
				}
			}
		}
		for n := range cores {
			t.cores = append(t.cores, n)
		}
		sort.Ints(t.cores)
		for u := range units {
			t.units = append(t.units, u)
		}
		sort.Strings(t.units)
	}
	return out
}

// median returns the median of vs (the mean of the middle two for an
// even count), or 0 for none.
func median(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	s := append([]float64(nil), vs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
