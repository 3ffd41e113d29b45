package main

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/syncvet/syncvet/analyzers"
)

type testFact struct{}

func (*testFact) AFact() {}

type otherFact struct{}

func (*otherFact) AFact() {}

func TestFactRoots(t *testing.T) {
	noop := func(*analysis.Pass) (any, error) { return nil, nil }
	facts := &analysis.Analyzer{Name: "facts", Doc: "d", Run: noop, FactTypes: []analysis.Fact{new(testFact)}}
	ir := &analysis.Analyzer{Name: "ir", Doc: "d", Run: noop, Requires: []*analysis.Analyzer{facts}}
	plain := &analysis.Analyzer{Name: "plain", Doc: "d", Run: noop}
	viaIR := &analysis.Analyzer{Name: "viair", Doc: "d", Run: noop, Requires: []*analysis.Analyzer{ir, plain}, Flags: *flag.NewFlagSet("viair", flag.ContinueOnError)}
	exporter := &analysis.Analyzer{Name: "exporter", Doc: "d", Run: noop, Requires: []*analysis.Analyzer{ir}, FactTypes: []analysis.Fact{new(otherFact)}}

	got := factRoots([]*analysis.Analyzer{viaIR, exporter, plain})
	if got[1] != exporter {
		t.Errorf("a root exporting facts was replaced")
	}
	s := got[0]
	if s == viaIR || s.Name != "viair" || !reflect.DeepEqual(s.Requires, []*analysis.Analyzer{facts}) {
		t.Errorf("stand-in for viair: %+v, want name viair requiring only facts", s)
	}
	if s.Flags.Name() != "viair" {
		t.Errorf("stand-in lost its flags")
	}
	if len(got[2].Requires) != 0 {
		t.Errorf("stand-in for plain requires %v, want nothing (unitchecker skips it)", got[2].Requires)
	}
	if err := analysis.Validate(got); err != nil {
		t.Errorf("stand-ins do not validate: %v", err)
	}
	// syncvet's own list stays valid, and keeps every name for the flags.
	all := analyzers.All()
	trimmed := factRoots(all)
	if err := analysis.Validate(trimmed); err != nil {
		t.Fatalf("trimmed syncvet list: %v", err)
	}
	for i := range all {
		if all[i].Name != trimmed[i].Name {
			t.Errorf("root %d renamed %s -> %s", i, all[i].Name, trimmed[i].Name)
		}
	}
}

// TestFactsOnlyKeepsCrossPackageFindings checks that trimming the
// dependency's facts-only unit keeps the facts a finding in the named
// package depends on, and that the findings equal those with the
// trimming off.
func TestFactsOnlyKeepsCrossPackageFindings(t *testing.T) {
	dir := writeModule(t, map[string]string{
		"lib/lib.go": `package lib

import "time"

type Queue struct{ work chan func() }

func (q *Queue) Get() func() { return <-q.work }

func Pause() { time.Sleep(time.Second) }
`,
		"use/use.go": `package use

import (
	"sync"

	"example.com/m/lib"
)

type Runner struct {
	mu sync.Mutex
	n  int
	q  *lib.Queue
}

func (r *Runner) Bad() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	r.q.Get()()
}

func (r *Runner) BadPause() {
	r.mu.Lock()
	r.n++
	lib.Pause()
	r.mu.Unlock()
}
`,
	})
	out, stderr, code := run(t, dir, false, "./use") // lib: facts only
	if code != exitFindings {
		t.Fatalf("exit %d, stdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	got := findings(out)
	if len(got) != 2 || !strings.Contains(out, "via (*lib.Queue).Get") || !strings.Contains(out, "via lib.Pause") {
		t.Errorf("want both cross-package overlock findings, got:\n%s", out)
	}
	// The same binary with a byte appended has another build ID, so go
	// vet reruns every unit rather than answering from its cache.
	data, err := os.ReadFile(syncvetBin)
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "syncvet")
	if err := os.WriteFile(other, append(data, 0), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(other, "./use")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SYNCVET_FACTSONLY=off")
	offOut, _ := cmd.Output()
	if off := findings(string(offOut)); !reflect.DeepEqual(off, got) {
		t.Errorf("findings with the trimming off:\n%s\nwith it on:\n%s", offOut, out)
	}
}
