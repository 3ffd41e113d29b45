package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// GoKerResult is the score on GoBench's GoKer kernels.
type GoKerResult struct {
	Dir       string         // the goker directory
	GoVersion string         // the go directive the kernels were analysed under
	AsTests   bool           // analysed as _test.go files, as GoBench ships them, rather than as package files
	Subtypes  []SubtypeScore // found/total per GoBench subtype
	Kernels   []Kernel
	Seconds   float64 // wall time of the syncvet run
}

// SubtypeScore is how many kernels of one GoBench subtype were found.
type SubtypeScore struct {
	Kind, Type, Subtype string
	Found, Total        int
}

// Kernel is one GoKer kernel and what syncvet reported on it.
type Kernel struct {
	ID            string         // GoBench's name: "kubernetes_49404"
	Kind          string         // blocking or nonblocking
	Type, Subtype string         // GoBench's classification
	Found         bool           // a counted check reported something in it
	Checks        map[string]int `json:",omitempty"` // every check's findings in it
	Error         string         `json:",omitempty"` // it did not build, or a check failed on it
	src, rel      string
}

// countedChecks are, per kind of kernel, the checks whose findings make
// a kernel found: the ones that look for that kind of bug. vet's
// loopclosure counts for races: a loop variable shared by the iterations
// (the kernels are go 1.13 code) and read by the goroutine that ends the
// loop body is its finding, which sharedaccess leaves to it.
var countedChecks = map[string][]string{
	"blocking":    {"lockorder", "overlock", "goroutineleak"},
	"nonblocking": {"sharedaccess", "loopclosure"},
}

// gokerDirs finds, from a GoBench checkout (or its gobench/ or
// gobench/goker/ directory), the kernels' directory and the directory of
// GoBench's classification files.
func gokerDirs(dir string) (goker, configs string, err error) {
	for _, cand := range []string{filepath.Join(dir, "gobench", "goker"), filepath.Join(dir, "goker"), dir} {
		if st, err := os.Stat(filepath.Join(cand, "blocking")); err == nil && st.IsDir() {
			return cand, filepath.Join(filepath.Dir(cand), "configures", "goker"), nil
		}
	}
	return "", "", fmt.Errorf("%s: no goker/blocking directory (want a GoBench checkout, github.com/timmyyuan/gobench)", dir)
}

// findKernels lists the kernels under goker (KIND/PROJECT/NUMBER
// directories holding Go files) with their classification: from
// GoBench's configures/goker/KIND.json, else from the table in the
// kernel's README.md.
func findKernels(goker, configs string) ([]Kernel, []string, error) {
	var ks []Kernel
	var notes []string
	for _, kind := range []string{"blocking", "nonblocking"} {
		meta := map[string]struct{ Type, Subtype string }{}
		cfg := filepath.Join(configs, kind+".json")
		if data, err := os.ReadFile(cfg); err != nil {
			notes = append(notes, fmt.Sprintf("no %s (%v): classifying from each kernel's README.md", cfg, err))
		} else if err := json.Unmarshal(data, &meta); err != nil {
			return nil, nil, fmt.Errorf("%s: %v", cfg, err)
		}
		projects, err := os.ReadDir(filepath.Join(goker, kind))
		if err != nil {
			return nil, nil, err
		}
		for _, p := range projects {
			if !p.IsDir() {
				continue
			}
			ids, err := os.ReadDir(filepath.Join(goker, kind, p.Name()))
			if err != nil {
				return nil, nil, err
			}
			for _, id := range ids {
				src := filepath.Join(goker, kind, p.Name(), id.Name())
				if !id.IsDir() || !hasGoFiles(src) {
					continue
				}
				k := Kernel{ID: p.Name() + "_" + id.Name(), Kind: kind, src: src, rel: filepath.Join(kind, p.Name(), id.Name())}
				if m, ok := meta[k.ID]; ok {
					k.Type, k.Subtype = m.Type, m.Subtype
				} else if t, s, ok := readmeClass(filepath.Join(src, "README.md")); ok {
					k.Type, k.Subtype = t, s
				} else {
					k.Type, k.Subtype = "unclassified", "unclassified"
					notes = append(notes, k.ID+": no classification in "+cfg+" or its README.md")
				}
				ks = append(ks, k)
			}
		}
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].rel < ks[j].rel })
	return ks, notes, nil
}

// hasGoFiles reports whether dir holds a Go file.
func hasGoFiles(dir string) bool {
	m, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	return len(m) > 0
}

// readmeRow matches the classification row of a kernel's README.md:
// | [id] | [pull request] | [patch] | Blocking | Mixed Deadlock | Channel & Lock |
var readmeRow = regexp.MustCompile(`(?m)^\|\s*\[[^\]]*#[^\]]*\]\s*\|[^|]*\|[^|]*\|[^|]*\|([^|]*)\|([^|]*)\|`)

func readmeClass(path string) (typ, subtype string, ok bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", "", false
	}
	m := readmeRow.FindStringSubmatch(string(data))
	if m == nil {
		return "", "", false
	}
	return strings.TrimSpace(m[1]), strings.TrimSpace(m[2]), true
}

// prepareGoKer copies every kernel into its own package of a new module
// in dir. Unless asTests, a kernel's NAME_test.go file becomes NAME.go:
// GoKer ships production code cut down into a test file, and checks
// may treat code in test files differently (locks of test-only types).
func prepareGoKer(ks []Kernel, dir, goVersion string, asTests bool) error {
	for _, k := range ks {
		dst := filepath.Join(dir, k.rel)
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return err
		}
		files, _ := filepath.Glob(filepath.Join(k.src, "*.go"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			name := filepath.Base(f)
			if !asTests {
				name = strings.TrimSuffix(name, "_test.go") + ".go"
			}
			if err := os.WriteFile(filepath.Join(dst, name), data, 0o644); err != nil {
				return err
			}
		}
	}
	mod := "module gokercorpus\n\ngo " + goVersion + "\n"
	return os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644)
}

// runGoKer runs syncvet once over all kernels, prepared in dir, and
// scores them.
func runGoKer(bin, dir string, res *GoKerResult, ks []Kernel) error {
	start := time.Now()
	r, err := runSyncvet(bin, dir)
	if err != nil {
		return err
	}
	res.Seconds = time.Since(start).Seconds()
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	errs := make(map[string][]string) // kernel rel -> why it was not analysed
	for pkg, lines := range r.broken {
		rel := strings.TrimSuffix(strings.TrimPrefix(pkg, "gokercorpus/"), "_test")
		errs[filepath.FromSlash(rel)] = append(errs[filepath.FromSlash(rel)], lines...)
	}
	for _, f := range r.internal {
		rel := kernelOf(abs, f.Path)
		errs[rel] = append(errs[rel], fmt.Sprintf("%s:%d: %s", f.File, f.Line, f.Message))
	}
	for _, l := range r.failures {
		matched := false
		for i := range ks {
			if strings.Contains(l, "gokercorpus/"+filepath.ToSlash(ks[i].rel)) {
				errs[ks[i].rel] = append(errs[ks[i].rel], l)
				matched = true
			}
		}
		if !matched {
			return fmt.Errorf("syncvet failed on the GoKer kernels: %s\n%s", l, r.stderr)
		}
	}
	byKernel := make(map[string][]finding)
	for _, f := range r.findings {
		rel := kernelOf(abs, f.Path)
		byKernel[rel] = append(byKernel[rel], f)
	}
	res.Kernels = scoreKernels(ks, byKernel, errs)
	res.Subtypes = subtypeScores(res.Kernels)
	return nil
}

// kernelOf returns the kernel directory, relative to the module root,
// of a file path syncvet printed.
func kernelOf(root, path string) string {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return path
	}
	return filepath.Dir(rel)
}

// scoreKernels marks each kernel found when one of its kind's counted
// checks reported in it.
func scoreKernels(ks []Kernel, byKernel map[string][]finding, errs map[string][]string) []Kernel {
	out := make([]Kernel, len(ks))
	for i, k := range ks {
		counted := make(map[string]bool)
		for _, c := range countedChecks[k.Kind] {
			counted[c] = true
		}
		for _, f := range byKernel[k.rel] {
			if k.Checks == nil {
				k.Checks = make(map[string]int)
			}
			k.Checks[f.Check]++
			if counted[f.Check] {
				k.Found = true
			}
		}
		if e := errs[k.rel]; len(e) > 0 {
			k.Error = strings.Join(e, "; ")
		}
		out[i] = k
	}
	return out
}

// subtypeScores totals found kernels per GoBench subtype.
func subtypeScores(ks []Kernel) []SubtypeScore {
	idx := make(map[[3]string]*SubtypeScore)
	var out []*SubtypeScore
	for _, k := range ks {
		key := [3]string{k.Kind, k.Type, k.Subtype}
		s := idx[key]
		if s == nil {
			s = &SubtypeScore{Kind: k.Kind, Type: k.Type, Subtype: k.Subtype}
			idx[key] = s
			out = append(out, s)
		}
		s.Total++
		if k.Found {
			s.Found++
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Type != b.Type {
			return a.Type > b.Type // Resource, Mixed, Communication; Traditional, Go-Specific
		}
		return a.Subtype < b.Subtype
	})
	res := make([]SubtypeScore, len(out))
	for i, s := range out {
		res[i] = *s
	}
	return res
}
