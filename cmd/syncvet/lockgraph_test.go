package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lockgraphModule has an edge inside lib, edges from use into lib
// through calls, and a cycle between a lock of use and one of lib.
var lockgraphModule = map[string]string{
	"lib/lib.go": `package lib

import "sync"

// Mu is a package-level lock that use orders both ways against its own.
var Mu sync.Mutex

type Store struct {
	mu   sync.Mutex
	disk Disk
}

type Disk struct{ mu sync.Mutex }

func (s *Store) Flush() {
	s.mu.Lock()
	s.disk.Save()
	s.mu.Unlock()
}

func (d *Disk) Save() {
	d.mu.Lock()
	d.mu.Unlock()
}
`,
	"use/use.go": `package use

import (
	"sync"

	"example.com/m/lib"
)

var mu sync.Mutex

type Cache struct {
	mu sync.Mutex
	st *lib.Store
}

func (c *Cache) Sync() {
	c.mu.Lock()
	c.st.Flush()
	c.mu.Unlock()
}

func A() {
	mu.Lock()
	lib.Mu.Lock()
	lib.Mu.Unlock()
	mu.Unlock()
}

func B() {
	lib.Mu.Lock()
	mu.Lock()
	mu.Unlock()
	lib.Mu.Unlock()
}
`,
}

// wantLockgraph is the graph of lockgraphModule's use and, through its
// facts, lib, which is not named on the command line.
const wantLockgraph = `// Acquired-before graph of lock classes, written by syncvet lockgraph.
// An edge A -> B: B was acquired while A was held. Red: on a cycle.
digraph lockorder {
	rankdir=LR;
	node [shape=box, fontname="monospace"];
	"(*example.com/m/lib.Store).disk.mu" [label="(*lib.Store).disk.mu"];
	"(*example.com/m/lib.Store).mu" [label="(*lib.Store).mu"];
	"(*example.com/m/use.Cache).mu" [label="(*use.Cache).mu"];
	"example.com/m/lib.Mu" [label="lib.Mu", color=red];
	"example.com/m/use.mu" [label="use.mu", color=red];
	"(*example.com/m/lib.Store).mu" -> "(*example.com/m/lib.Store).disk.mu" [label="(*lib.Store).Flush lib.go:17 via (*lib.Disk).Save"];
	"(*example.com/m/use.Cache).mu" -> "(*example.com/m/lib.Store).disk.mu" [label="(*use.Cache).Sync use.go:18 via (*lib.Store).Flush → (*lib.Disk).Save"];
	"(*example.com/m/use.Cache).mu" -> "(*example.com/m/lib.Store).mu" [label="(*use.Cache).Sync use.go:18 via (*lib.Store).Flush"];
	"example.com/m/lib.Mu" -> "example.com/m/use.mu" [label="use.B use.go:31", color=red, penwidth=2];
	"example.com/m/use.mu" -> "example.com/m/lib.Mu" [label="use.A use.go:24", color=red, penwidth=2];
}
`

// TestLockgraph checks the DOT graph of a package and its dependency,
// and that it is the same when go vet replays every unit from its cache,
// also after a plain run has cached the units with other flags.
func TestLockgraph(t *testing.T) {
	dir := writeModule(t, lockgraphModule)
	if _, stderr, code := run(t, dir, false, "./..."); code != exitFindings {
		t.Fatalf("syncvet ./...: exit %d, want %d (the cycle); stderr:\n%s", code, exitFindings, stderr)
	}
	for i := range 2 {
		out, stderr, code := run(t, dir, false, "lockgraph", "./use")
		if code != exitClean || stderr != "" {
			t.Errorf("run %d: exit %d, stderr:\n%s", i, code, stderr)
		}
		if out != wantLockgraph {
			t.Errorf("run %d: graph:\n%s\nwant:\n%s", i, out, wantLockgraph)
		}
	}
	file := filepath.Join(t.TempDir(), "locks.dot")
	out, stderr, code := run(t, dir, false, "lockgraph", "-o", file, "./...")
	if code != exitClean || out != "" || stderr != "" {
		t.Errorf("lockgraph -o: exit %d, stdout %q, stderr:\n%s", code, out, stderr)
	}
	if got, err := os.ReadFile(file); err != nil {
		t.Error(err)
	} else if string(got) != wantLockgraph {
		t.Errorf("lockgraph -o ./...: file holds:\n%s\nwant:\n%s", got, wantLockgraph)
	}
}

// TestLockgraphEmpty checks the graph of a package without locks.
func TestLockgraphEmpty(t *testing.T) {
	dir := writeModule(t, map[string]string{"ok/ok.go": "package ok\n\nfunc F() int { return 1 }\n"})
	out, stderr, code := run(t, dir, false, "lockgraph", "./...")
	if code != exitClean || stderr != "" {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	if !strings.HasSuffix(out, "digraph lockorder {\n\trankdir=LR;\n\tnode [shape=box, fontname=\"monospace\"];\n}\n") {
		t.Errorf("want an empty digraph, got:\n%s", out)
	}
}

func TestLockgraphUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"lockgraph", "-bogus", "./..."}, "flag provided but not defined: -bogus"},
		{[]string{"lockgraph", "-o"}, "flag needs an argument: -o"},
	} {
		out, stderr, code := run(t, repoRoot, false, tc.args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d", tc.args, code, exitUsage)
		}
		if out != "" || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "Usage: syncvet lockgraph") {
			t.Errorf("%v: stdout %q; stderr should say %q and print the usage:\n%s", tc.args, out, tc.want, stderr)
		}
	}
}

func TestLockgraphBrokenPackage(t *testing.T) {
	files := map[string]string{"bad/bad.go": "package bad\n\nfunc G() int { return \"x\" }\n"}
	for k, v := range lockgraphModule {
		files[k] = v
	}
	dir := writeModule(t, files)
	out, stderr, code := run(t, dir, false, "lockgraph", "./...")
	if code != exitError {
		t.Errorf("exit %d, want %d", code, exitError)
	}
	if !strings.Contains(stderr, "bad.go:3") {
		t.Errorf("stderr should name the error:\n%s", stderr)
	}
	if out != wantLockgraph {
		t.Errorf("the packages that load should still be drawn; got:\n%s", out)
	}
}
