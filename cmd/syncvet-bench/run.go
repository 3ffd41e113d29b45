package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// target is one set of packages go vet is run over.
type target struct {
	name     string
	module   string   // module@version fetched through the proxy; "" for std and local dirs
	dir      string   // where go vet runs
	patterns []string // package patterns
	// orig holds the .go files of a copied module as they were, for
	// edit mode (nil for std, whose units rerun by a new tool ID).
	orig map[string][]byte
}

// measurement is one go vet run of one tool over one target.
type measurement struct {
	target, mode, tool string
	run                int
	wall, cpu          time.Duration // go vet and all its children
	treeRSS            int64         // KiB: largest process in the tree, compiler included
	units              []unit
	exit               int
	errTail            string
}

func (m *measurement) toolCPU() time.Duration {
	var d time.Duration
	for _, u := range m.units {
		d += u.CPU
	}
	return d
}

// toolRSS is the per-package peak: the largest vet tool process.
func (m *measurement) toolRSS() int64 {
	var r int64
	for _, u := range m.units {
		r = max(r, u.RSS)
	}
	return r
}

func (m *measurement) packages() (diag, facts int) {
	for _, u := range m.units {
		if u.VetxOnly {
			facts++
		} else {
			diag++
		}
	}
	return
}

type results struct {
	machine      string
	commit       string // of the syncvet tree the tools were built from
	start, end   string
	loadStart    string
	loadEnd      string
	runs         int
	modes        []string
	tools        []string
	targets      []*target
	coldTargets  map[string]bool
	measurements []*measurement
}

func (r *results) failed() bool {
	for _, m := range r.measurements {
		if m.exit != 0 {
			return true
		}
	}
	return false
}

func runBench(c *config, stderr io.Writer) (*results, error) {
	work := c.work
	if work == "" {
		d, err := os.MkdirTemp("", "syncvet-bench-")
		if err != nil {
			return nil, err
		}
		work = d
	} else if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, err
	}
	work, _ = filepath.Abs(work)
	if !c.keep {
		defer os.RemoveAll(work)
	} else {
		fmt.Fprintf(stderr, "syncvet-bench: working directory %s\n", work)
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	if strings.ContainsAny(self, " \t'\"") {
		return nil, fmt.Errorf("executable path %q has spaces or quotes; -toolexec cannot name it", self)
	}
	bin := filepath.Join(work, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return nil, err
	}
	// Copy ourselves so that `go run` removing its binary cannot hurt.
	if err := copyFile(self, filepath.Join(bin, "syncvet-bench"), 0o755); err != nil {
		return nil, err
	}
	self = filepath.Join(bin, "syncvet-bench")
	if err := buildTools(c, bin, stderr); err != nil {
		return nil, err
	}
	toolDir, err := goEnv("GOTOOLDIR")
	if err != nil {
		return nil, err
	}
	if c.profileDir != "" {
		if c.profileDir, err = filepath.Abs(c.profileDir); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(c.profileDir, 0o755); err != nil {
			return nil, err
		}
	}

	res := &results{
		machine:     machine(),
		commit:      commit(c.rev),
		start:       now(),
		loadStart:   loadavg(),
		runs:        c.runs,
		modes:       c.modes,
		tools:       c.tools,
		coldTargets: map[string]bool{},
	}
	byName := map[string]*target{}
	var all []string
	seen := map[string]bool{}
	for _, n := range append(append([]string{}, c.targets...), c.coldTargets...) {
		if !seen[n] {
			seen[n] = true
			all = append(all, n)
		}
	}
	edit := false
	for _, m := range c.modes {
		edit = edit || m == "edit"
	}
	for _, n := range all {
		fmt.Fprintf(stderr, "syncvet-bench: preparing %s\n", n)
		t, err := prepare(n, work, edit)
		if err != nil {
			return nil, fmt.Errorf("target %s: %v", n, err)
		}
		byName[n] = t
		res.targets = append(res.targets, t)
	}
	for _, n := range c.coldTargets {
		res.coldTargets[n] = true
	}

	vetTools := map[string]string{
		"vet":          filepath.Join(toolDir, "vet"),
		"ssafloor":     c.ssafloor,
		"syncvet":      c.syncvet,
		"syncvet-nosa": c.syncvet,

		"syncvet-untrimmed": c.syncvet,
	}
	warmCache := c.warmCache
	if warmCache == "" {
		if warmCache, err = goEnv("GOCACHE"); err != nil {
			return nil, err
		}
	}
	seq := 0
	for run := 1; run <= c.runs; run++ {
		for _, mode := range c.modes {
			names := c.targets
			if mode == "cold" {
				names = c.coldTargets
			}
			for _, n := range names {
				t := byName[n]
				if (mode == "warm" || mode == "edit" && t.orig == nil) && run == 1 {
					// Fill the compiler's cache once, unmeasured.
					fmt.Fprintf(stderr, "syncvet-bench: warming the build cache for %s\n", t.name)
					m := &measurement{target: t.name, mode: "prime", tool: "vet"}
					if err := vetRun(m, t, self, "vet", vetTools["vet"], nil, nil, warmCache, "prime", "", filepath.Join(work, "prime.log"), ""); err != nil {
						return nil, err
					}
				}
				if mode == "edit" && t.orig != nil && run == 1 {
					// Fill the compiler's cache and each tool's vet
					// results for the dependencies once, unmeasured,
					// under the tool ID the measured runs will use.
					for _, tool := range c.tools {
						fmt.Fprintf(stderr, "syncvet-bench: caching the dependencies' %s results for %s\n", tool, t.name)
						m := &measurement{target: t.name, mode: "prime", tool: tool}
						flags, env := toolArgs(tool)
						if err := vetRun(m, t, self, tool, vetTools[tool], flags, env, warmCache, editNonce(tool), "", filepath.Join(work, "prime.log"), ""); err != nil {
							return nil, err
						}
					}
				}
				tools := rotate(c.tools, run-1)
				for _, tool := range tools {
					if tool == "syncvet-nosa" && mode == "cold" {
						continue
					}
					seq++
					m := &measurement{target: t.name, mode: mode, tool: tool, run: run}
					cache := warmCache
					if mode == "cold" {
						cache = filepath.Join(work, fmt.Sprintf("gocache-cold-%d", seq))
					}
					flags, env := toolArgs(tool)
					prof := ""
					if strings.HasPrefix(tool, "syncvet") {
						prof = c.profileDir
					}
					name := fmt.Sprintf("%03d-%s-%s-%s-%d", seq, t.name, mode, tool, run)
					logFile := filepath.Join(work, "logs", name+".jsonl")
					nonce := fmt.Sprintf("%d-%d", time.Now().UnixNano(), seq)
					if mode == "edit" && t.orig != nil {
						// The same tool ID as the primed dependencies;
						// a new comment in every file of the module
						// makes its own units, and only those, rerun.
						nonce = editNonce(tool)
						if err := editTarget(t, nonce+"-"+name); err != nil {
							return nil, err
						}
					}
					vetxDir := ""
					if c.vetx {
						vetxDir = filepath.Join(work, "vetx", name)
					}
					if err := vetRun(m, t, self, tool, vetTools[tool], flags, env, cache, nonce, prof, logFile, vetxDir); err != nil {
						return nil, err
					}
					if mode == "cold" {
						os.RemoveAll(cache)
					}
					res.measurements = append(res.measurements, m)
					d, f := m.packages()
					line := fmt.Sprintf("run %d %s %-6s %-13s wall %6.1fs cpu %6.1fs tool-cpu %6.1fs tool-rss %5d MiB units %d+%d",
						run, mode, t.name, tool, m.wall.Seconds(), m.cpu.Seconds(), m.toolCPU().Seconds(), m.toolRSS()>>10, d, f)
					if m.exit != 0 {
						line += fmt.Sprintf(" EXIT %d: %s", m.exit, firstLine(m.errTail))
					}
					fmt.Fprintln(stderr, "syncvet-bench: "+line)
				}
			}
		}
	}
	res.end = now()
	res.loadEnd = loadavg()
	return res, nil
}

// toolArgs returns the extra go vet flags and environment of a tool.
func toolArgs(tool string) (flags, env []string) {
	switch tool {
	case "syncvet-nosa":
		for _, s := range staticcheckChecks {
			flags = append(flags, "-"+s+"=false")
		}
	case "syncvet-untrimmed":
		env = append(env, "SYNCVET_FACTSONLY=off")
	}
	return flags, env
}

// editNonce is the constant nonce of a tool in edit mode: stable across
// runs, so that the dependencies' vet results stay cached, and
// different per tool, so that syncvet-untrimmed (same binary, other
// environment) and syncvet-nosa do not share cache entries with
// syncvet.
func editNonce(tool string) string { return "edit-" + tool }

// editMarker starts the comment that edit mode appends to every .go
// file of a copied module.
const editMarker = "// syncvet-bench edit "

// editTarget rewrites every .go file of t's copied module as it was
// plus one comment line naming stamp, so that go vet must rerun every
// unit of the module's own packages (their source hashes change) while
// their export data and every dependency stay as cached.
func editTarget(t *target, stamp string) error {
	for file, data := range t.orig {
		out := make([]byte, 0, len(data)+len(editMarker)+len(stamp)+2)
		out = append(out, data...)
		if len(out) > 0 && out[len(out)-1] != '\n' {
			out = append(out, '\n')
		}
		out = append(out, editMarker+stamp+"\n"...)
		if err := os.WriteFile(file, out, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// moduleGoFiles reads the .go files of the module in dir, skipping
// testdata, vendor and hidden or underscore directories (go list skips
// them too) and nested modules.
func moduleGoFiles(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if p != dir {
				if name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
					return filepath.SkipDir
				}
				if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if !d.Type().IsRegular() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files[p] = data
		return nil
	})
	return files, err
}

func rotate(xs []string, k int) []string {
	out := make([]string, len(xs))
	for i := range xs {
		out[i] = xs[(i+k)%len(xs)]
	}
	return out
}

// vetRun runs go vet with tool over t, through the toolexec wrapper, and
// fills m. Where vetxDir is not empty, each unit's .vetx file is copied
// into it.
func vetRun(m *measurement, t *target, self, name, tool string, flags, env []string, gocache, nonce, profileDir, logFile, vetxDir string) error {
	if err := os.MkdirAll(filepath.Dir(logFile), 0o755); err != nil {
		return err
	}
	if vetxDir != "" {
		if err := os.MkdirAll(vetxDir, 0o755); err != nil {
			return err
		}
		env = append(append([]string{}, env...), envVetxDir+"="+vetxDir)
	}
	os.Remove(logFile)
	args := []string{"vet", "-toolexec=" + self + " toolexec"}
	if name != "vet" { // go vet's own tool runs as plain go vet
		args = append(args, "-vettool="+tool)
	}
	args = append(args, flags...)
	args = append(args, "-json")
	args = append(args, t.patterns...)
	cmd := exec.Command("go", args...)
	cmd.Dir = t.dir
	cmd.Env = append(os.Environ(),
		"GOCACHE="+gocache,
		"GOWORK=off",
		"GOTOOLCHAIN=local",
		"GOFLAGS=",
		envLog+"="+logFile,
		envVetTool+"="+tool,
		envNonce+"="+nonce,
	)
	cmd.Env = append(cmd.Env, env...)
	if profileDir != "" {
		cmd.Env = append(cmd.Env, "SYNCVET_CPUPROFILE_DIR="+profileDir, "SYNCVET_MEMPROFILE_DIR="+profileDir)
	}
	var errBuf tailBuffer
	cmd.Stdout = io.Discard
	cmd.Stderr = &errBuf
	start := time.Now()
	err := cmd.Run()
	m.wall = time.Since(start)
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			return fmt.Errorf("go vet: %v", err)
		}
		m.exit = ee.ExitCode()
	}
	if ps := cmd.ProcessState; ps != nil {
		m.cpu = ps.UserTime() + ps.SystemTime()
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			m.treeRSS = ru.Maxrss
		}
	}
	m.errTail = errBuf.String()
	units, err := readLog(logFile)
	if err != nil {
		return err
	}
	m.units = units
	return nil
}

// prepare resolves a target name: std, a known module, module@version
// (copied out of the module cache into work so that go vet runs on it as
// the main module, tests included) or a local module directory. With
// edit, a local module is copied into work too (edit mode rewrites its
// files), and the module's .go files are read for editTarget.
func prepare(name, work string, edit bool) (*target, error) {
	if name == "std" {
		dir := filepath.Join(work, "std")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		return &target{name: "std", dir: dir, patterns: []string{"std"}}, nil
	}
	mod := knownTargets[name]
	if mod == "" && strings.Contains(name, "@") {
		mod = name
	}
	t := &target{name: name, module: mod, patterns: []string{"./..."}}
	if mod == "" {
		abs, err := filepath.Abs(name)
		if err != nil {
			return nil, err
		}
		if _, err := os.Stat(filepath.Join(abs, "go.mod")); err != nil {
			return nil, fmt.Errorf("not std, a known module (%s), module@version or a module directory", knownList())
		}
		t.dir = abs
		t.name = filepath.Base(abs)
		if edit {
			t.dir = filepath.Join(work, "src", "local_"+t.name)
			os.RemoveAll(t.dir)
			if err := copyTree(abs, t.dir); err != nil {
				return nil, err
			}
		}
	} else {
		out, err := goCmd(work, "mod", "download", "-json", mod)
		if err != nil {
			return nil, err
		}
		var info struct{ Dir, Error string }
		if err := json.Unmarshal(out, &info); err != nil {
			return nil, err
		}
		if info.Error != "" {
			return nil, fmt.Errorf("%s", info.Error)
		}
		t.dir = filepath.Join(work, "src", strings.NewReplacer("/", "_", "@", "_").Replace(mod))
		os.RemoveAll(t.dir)
		if err := copyTree(info.Dir, t.dir); err != nil {
			return nil, err
		}
		if t.name == mod {
			t.name = filepath.Base(strings.Split(mod, "@")[0])
		}
		if err := dropLocalReplaces(t.dir); err != nil {
			return nil, err
		}
	}
	// Download every dependency, tests' included, before any timing.
	if _, err := goCmd(t.dir, "list", "-deps", "-test", "-e", t.patterns[0]); err != nil {
		return nil, err
	}
	if edit {
		files, err := moduleGoFiles(t.dir)
		if err != nil {
			return nil, err
		}
		t.orig = files
	}
	return t, nil
}

// dropLocalReplaces removes the replace directives of the module in dir
// that name a directory: a module of a multi-module repository (etcd's
// server/v3) replaces its siblings with ../api and the like, which do
// not exist beside a copy, and gets them from the proxy at its required
// versions instead.
func dropLocalReplaces(dir string) error {
	out, err := goCmd(dir, "mod", "edit", "-json")
	if err != nil {
		return err
	}
	var mod struct {
		Replace []struct {
			Old, New struct{ Path, Version string }
		}
	}
	if err := json.Unmarshal(out, &mod); err != nil {
		return err
	}
	var args []string
	for _, r := range mod.Replace {
		if r.New.Version == "" {
			old := r.Old.Path
			if r.Old.Version != "" {
				old += "@" + r.Old.Version
			}
			args = append(args, "-dropreplace="+old)
		}
	}
	if len(args) == 0 {
		return nil
	}
	_, err = goCmd(dir, append([]string{"mod", "edit"}, args...)...)
	return err
}

func goCmd(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod")
	var errBuf bytes.Buffer
	cmd.Stderr = &errBuf
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, errBuf.String())
	}
	return out, nil
}

func goEnv(name string) (string, error) {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %v", name, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// copyTree copies a module out of the read-only module cache.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(p, out, 0o644)
	})
}

func copyFile(src, dst string, mode os.FileMode) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, mode)
}

func machine() string {
	v, _ := exec.Command("go", "env", "GOVERSION").Output()
	cpu := ""
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "model name") {
				if i := strings.Index(l, ":"); i >= 0 {
					cpu = strings.TrimSpace(l[i+1:])
				}
				break
			}
		}
	}
	mem := ""
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		fmt.Sscanf(strings.TrimPrefix(strings.SplitN(string(data), "\n", 2)[0], "MemTotal:"), "%d", &kb)
		mem = fmt.Sprintf(", %.0f GiB RAM", float64(kb)/(1<<20))
	}
	s := fmt.Sprintf("%s/%s, %d CPUs%s, %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), mem, strings.TrimSpace(string(v)))
	if cpu != "" {
		s += ", " + cpu
	}
	return s
}

// commit names the commit the tools were built from (rev, or the
// working tree on top of HEAD), for the report.
func commit(rev string) string {
	r := rev
	if r == "" {
		r = "HEAD"
	}
	out, err := exec.Command("git", "log", "-1", "--format=%h %cd", "--date=format:%Y-%m-%d %H:%M", r).Output()
	if err != nil {
		return "?"
	}
	s := strings.TrimSpace(string(out))
	if rev == "" {
		s += " plus the working tree's changes"
	}
	return s
}

func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// tailBuffer keeps the last 4 KiB written to it.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 4096 {
		t.b = t.b[len(t.b)-4096:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.b) }
