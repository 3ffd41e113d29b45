package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// Profiling the vet-tool mode. go vet runs syncvet once per package, so
// a profile is per unit: with these set to a directory, each unit writes
// DIR/<package>.<pid>.cpu.pprof (or .mem.pprof, a heap profile with
// allocations since the start), and `go tool pprof DIR/*.cpu.pprof`
// merges them. The standalone driver's -cpuprofile and -memprofile flags
// set them. Units whose results go vet finds in its cache do not run and
// write nothing.
const (
	envCPUProfile = "SYNCVET_CPUPROFILE_DIR"
	envMemProfile = "SYNCVET_MEMPROFILE_DIR"
)

// profiled returns as unchanged unless a profile directory is set and
// args name a unit's config. Then it starts the unit's CPU profile and
// returns copies of the root analyzers that will run on the unit, which
// stop it and write the heap profile when the last of them returns:
// unitchecker ends in os.Exit, so there is no later hook. (A unit whose
// packages fail to type-check, or whose roots all fail a prerequisite,
// writes no profile.)
func profiled(as []*analysis.Analyzer, args []string) []*analysis.Analyzer {
	cpuDir, memDir := os.Getenv(envCPUProfile), os.Getenv(envMemProfile)
	if cpuDir == "" && memDir == "" || len(args) == 0 || !strings.HasSuffix(args[len(args)-1], ".cfg") {
		return as
	}
	id, vetxOnly, err := readUnit(args[len(args)-1])
	if err != nil {
		return as // unitchecker reports it
	}
	// In a facts-only unit unitchecker runs only the roots that use
	// facts, directly or through what they require.
	runs := func(a *analysis.Analyzer) bool { return !vetxOnly || usesFacts(a, map[*analysis.Analyzer]bool{}) }
	left := 0
	for _, a := range as {
		if runs(a) {
			left++
		}
	}
	if left == 0 {
		return as
	}
	base := profileName(id)
	var cpuFile *os.File
	if cpuDir != "" {
		f, err := os.Create(filepath.Join(cpuDir, base+".cpu.pprof"))
		if err != nil {
			fmt.Fprintf(os.Stderr, "syncvet: cpu profile: %v\n", err)
		} else if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(os.Stderr, "syncvet: cpu profile: %v\n", err)
			f.Close()
		} else {
			cpuFile = f
		}
	}
	var mu sync.Mutex
	done := func() {
		mu.Lock()
		left--
		last := left == 0
		mu.Unlock()
		if !last {
			return
		}
		if cpuFile != nil {
			pprof.StopCPUProfile()
			cpuFile.Close()
		}
		if memDir != "" {
			if err := writeHeap(filepath.Join(memDir, base+".mem.pprof")); err != nil {
				fmt.Fprintf(os.Stderr, "syncvet: memory profile: %v\n", err)
			}
		}
	}
	out := make([]*analysis.Analyzer, len(as))
	for i, a := range as {
		out[i] = a
		if !runs(a) {
			continue
		}
		// Roots only, and nothing requires a root: the copy is safe.
		c := *a
		run := a.Run
		c.Run = func(pass *analysis.Pass) (any, error) {
			defer done()
			return run(pass)
		}
		out[i] = &c
	}
	return out
}

func usesFacts(a *analysis.Analyzer, seen map[*analysis.Analyzer]bool) bool {
	if seen[a] {
		return false
	}
	seen[a] = true
	if len(a.FactTypes) > 0 {
		return true
	}
	for _, r := range a.Requires {
		if usesFacts(r, seen) {
			return true
		}
	}
	return false
}

func readUnit(cfg string) (id string, vetxOnly bool, err error) {
	data, err := os.ReadFile(cfg)
	if err != nil {
		return "", false, err
	}
	var c struct {
		ID, ImportPath string
		VetxOnly       bool
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return "", false, err
	}
	if c.ID == "" {
		c.ID = c.ImportPath
	}
	return c.ID, c.VetxOnly, nil
}

// profileName makes a file name of a unit ID such as
// "net/http [net/http.test]", unique per process.
func profileName(id string) string {
	b := []byte(id)
	for i, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			b[i] = '_'
		}
	}
	return fmt.Sprintf("%s.%d", b, os.Getpid())
}

func writeHeap(file string) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// profileEnv returns the environment that makes the vet tool units write
// profiles into the given directories, made absolute and created, or nil
// (inherit) when neither is set.
func profileEnv(cpuDir, memDir string) ([]string, error) {
	if cpuDir == "" && memDir == "" {
		return nil, nil
	}
	env := os.Environ()
	for _, p := range []struct{ name, dir string }{{envCPUProfile, cpuDir}, {envMemProfile, memDir}} {
		if p.dir == "" {
			continue
		}
		abs, err := filepath.Abs(p.dir)
		if err != nil {
			return nil, err
		}
		if err := os.MkdirAll(abs, 0o755); err != nil {
			return nil, err
		}
		env = append(env, p.name+"="+abs)
	}
	return env, nil
}
