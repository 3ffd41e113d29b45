package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// A bug is one row of the table.
type bug struct {
	ID     string
	Module string
	Buggy  string // last release with the bug
	Fixed  string // first release with the fix
	Pkg    string // import path of the bug's package
	File   string // relative to the module's root, slash-separated
	Funcs  []string
	Check  string
	Fix    string // a link to the fix
	What   string
}

var columns = []string{"id", "module", "buggy", "fixed", "package", "file", "function", "check", "fix", "bug"}

// readTable reads the tab-separated table: '#' lines are comments, the
// first other line is the header, which must name the columns above.
func readTable(r io.Reader) ([]bug, error) {
	var bugs []bug
	sc := bufio.NewScanner(r)
	header := false
	line := 0
	seen := map[string]bool{}
	for sc.Scan() {
		line++
		text := sc.Text()
		if strings.HasPrefix(text, "#") || strings.TrimSpace(text) == "" {
			continue
		}
		fields := strings.Split(text, "\t")
		if !header {
			if strings.Join(fields, ",") != strings.Join(columns, ",") {
				return nil, fmt.Errorf("line %d: header %q, want the columns %s", line, fields, strings.Join(columns, ", "))
			}
			header = true
			continue
		}
		if len(fields) != len(columns) {
			return nil, fmt.Errorf("line %d: %d fields, want %d", line, len(fields), len(columns))
		}
		for i, f := range fields[:8] {
			if f == "" {
				return nil, fmt.Errorf("line %d: empty %s", line, columns[i])
			}
		}
		b := bug{
			ID: fields[0], Module: fields[1], Buggy: fields[2], Fixed: fields[3],
			Pkg: fields[4], File: fields[5], Funcs: strings.Split(fields[6], "+"),
			Check: fields[7], Fix: fields[8], What: fields[9],
		}
		if seen[b.ID] {
			return nil, fmt.Errorf("line %d: id %s used twice", line, b.ID)
		}
		seen[b.ID] = true
		if b.Pkg != b.Module && !strings.HasPrefix(b.Pkg, b.Module+"/") {
			return nil, fmt.Errorf("line %d: package %s is not in module %s", line, b.Pkg, b.Module)
		}
		for _, fn := range b.Funcs {
			if _, _, err := parseFuncName(fn); err != nil {
				return nil, fmt.Errorf("line %d: %v", line, err)
			}
		}
		bugs = append(bugs, b)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if !header {
		return nil, fmt.Errorf("no header line")
	}
	return bugs, nil
}

// selectBugs returns the bugs with the given ids, in the table's order.
func selectBugs(bugs []bug, ids []string) ([]bug, error) {
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	var sel []bug
	for _, b := range bugs {
		if want[b.ID] {
			sel = append(sel, b)
			delete(want, b.ID)
		}
	}
	for id := range want {
		return nil, fmt.Errorf("no bug %q in the table", id)
	}
	return sel, nil
}

// parseFuncName splits "Name", "Recv.Name" or "(*Recv).Name" into the
// receiver's type name ("" for a function) and the function's name.
func parseFuncName(s string) (recv, name string, err error) {
	r, n, ok := strings.Cut(s, ".")
	if !ok {
		r, n = "", s
	}
	r = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(r, "("), "*"), ")")
	if n == "" || strings.ContainsAny(n, ".()* ") || strings.ContainsAny(r, ".()* ") {
		return "", "", fmt.Errorf("function %q: want Name, Recv.Name or (*Recv).Name", s)
	}
	return r, n, nil
}
