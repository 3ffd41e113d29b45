package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/syncvet/syncvet/internal/gitrev"
)

// A unit is one release of one module, with the packages of the bugs
// that name it.
type unit struct {
	Module, Version string
	Pkgs            []string
}

func (u unit) key() string { return u.Module + "@" + u.Version }

// A diagnostic is one finding in go/analysis's JSON form.
type diagnostic struct {
	Check    string `json:"-"`
	Category string `json:"category"`
	Posn     string `json:"posn"`
	Message  string `json:"message"`
	Related  []struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	} `json:"related"`
}

// A unitRun is what syncvet said on one unit.
type unitRun struct {
	Unit  unit
	Dir   string // the module's directory in the module cache
	Diags []diagnostic
	Err   error // the unit could not be fetched or analysed
	Note  string
}

// units lists the module releases the bugs need, each once.
func units(bugs []bug) []unit {
	byKey := map[string]*unit{}
	var keys []string
	for _, b := range bugs {
		for _, v := range []string{b.Buggy, b.Fixed} {
			k := b.Module + "@" + v
			u := byKey[k]
			if u == nil {
				u = &unit{Module: b.Module, Version: v}
				byKey[k] = u
				keys = append(keys, k)
			}
			if !contains(u.Pkgs, b.Pkg) {
				u.Pkgs = append(u.Pkgs, b.Pkg)
			}
		}
	}
	sort.Strings(keys)
	us := make([]unit, 0, len(keys))
	for _, k := range keys {
		us = append(us, *byKey[k])
	}
	return us
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// analyse fetches and analyses every unit the bugs need, jobs at a time,
// and returns the runs by unit key.
func analyse(bugs []bug, bin, work string, jobs int) map[string]unitRun {
	us := units(bugs)
	todo := make(chan int)
	done := make(chan unitRun)
	for w := 0; w < jobs; w++ {
		go func() {
			for i := range todo {
				done <- analyseUnit(us[i], bin, filepath.Join(work, fmt.Sprintf("u%03d", i)))
			}
		}()
	}
	go func() {
		for i := range us {
			todo <- i
		}
		close(todo)
	}()
	runs := map[string]unitRun{}
	for range us {
		r := <-done
		status := fmt.Sprintf("%d findings", len(r.Diags))
		if r.Err != nil {
			status = "error: " + firstLine(r.Err.Error())
		} else if r.Note != "" {
			status += "; " + r.Note
		}
		fmt.Fprintf(os.Stderr, "  %s: %s\n", r.Unit.key(), status)
		runs[r.Unit.key()] = r
	}
	return runs
}

// analyseUnit fetches one release into a throwaway module in dir and
// runs syncvet -json on the unit's packages there.
func analyseUnit(u unit, bin, dir string) unitRun {
	r := unitRun{Unit: u}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		r.Err = err
		return r
	}
	gomod := "module syncvet.invalid/realbugs\n\ngo 1.26\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		r.Err = err
		return r
	}
	get := []string{"get", "-t"}
	for _, p := range u.Pkgs {
		get = append(get, p+"@"+u.Version)
	}
	if _, err := goCmd(dir, get...); err != nil {
		r.Err = err
		return r
	}
	modDir, err := goCmd(dir, "list", "-m", "-f", "{{.Dir}}", u.Module)
	if err != nil {
		r.Err = err
		return r
	}
	r.Dir = strings.TrimSpace(modDir)
	r.Diags, r.Note, r.Err = runSyncvet(bin, dir, u.Pkgs)
	if r.Err != nil || r.Note == "" {
		return r
	}
	// go vet analyses a package with its tests as one unit, and not at
	// all when the tests do not build (often against a newer release of
	// a test dependency): analyse a copy of the module without the
	// packages' _test.go files instead.
	copyDir := filepath.Join(dir, "src")
	if err := copyModule(r.Dir, copyDir, u); err != nil {
		r.Err = err
		return r
	}
	if _, err := goCmd(dir, "mod", "edit", "-replace", u.Module+"="+copyDir); err != nil {
		r.Err = err
		return r
	}
	first := strings.ReplaceAll(r.Note, r.Dir+string(filepath.Separator), "")
	r.Dir = copyDir
	r.Diags, r.Note, r.Err = runSyncvet(bin, dir, u.Pkgs)
	r.Note = fmt.Sprintf("%s; analysed again without the package's _test.go files%s", first, prefixed("; then ", r.Note))
	return r
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// runSyncvet runs syncvet -json on pkgs in the module at dir and returns
// its findings and, when it exited with 1 (a package or check failed),
// a note saying so; the findings it printed still count.
func runSyncvet(bin, dir string, pkgs []string) ([]diagnostic, string, error) {
	cmd := exec.Command(bin, append([]string{"-json"}, pkgs...)...)
	cmd.Dir = dir
	cmd.Env = goEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	note := ""
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 3) {
		note = fmt.Sprintf("syncvet: %v: %s", err, firstLines(stderr.String(), 2))
	}
	diags, err := parseDiagnostics(&stdout)
	if err != nil {
		return nil, "", fmt.Errorf("reading syncvet's JSON: %v (stderr: %s)", err, firstLine(stderr.String()))
	}
	return diags, note, nil
}

// copyModule copies the module tree at src to dst, writable, leaving out
// the _test.go files of the unit's packages.
func copyModule(src, dst string, u unit) error {
	skip := map[string]bool{}
	for _, p := range u.Pkgs {
		skip[filepath.FromSlash(strings.TrimPrefix(strings.TrimPrefix(p, u.Module), "/"))] = true
	}
	return filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if strings.HasSuffix(rel, "_test.go") && (skip[filepath.Dir(rel)] || (filepath.Dir(rel) == "." && skip[""])) {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// parseDiagnostics reads go/analysis JSON: one or more objects mapping
// a package to a map from check to findings (or to an error object).
func parseDiagnostics(r io.Reader) ([]diagnostic, error) {
	var diags []diagnostic
	dec := json.NewDecoder(r)
	for {
		var tree map[string]map[string]json.RawMessage
		if err := dec.Decode(&tree); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		for _, checks := range tree {
			for check, raw := range checks {
				var ds []diagnostic
				if json.Unmarshal(raw, &ds) != nil {
					continue // {"error": ...}: the check failed on the package
				}
				for _, d := range ds {
					d.Check = check
					diags = append(diags, d)
				}
			}
		}
	}
	return diags, nil
}

func goEnv() []string {
	return append(os.Environ(), "GOWORK=off", "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod")
}

func goCmd(dir string, args ...string) (string, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = goEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// firstLines returns the first n lines of s joined by " / ".
func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		return strings.Join(lines[:n], " / ") + " …"
	}
	return strings.Join(lines, " / ")
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

// buildSyncvet builds ./cmd/syncvet of the module at root, or of git
// revision rev of it when rev is set, into dir and returns the binary's
// path and a description of what it was built from.
func buildSyncvet(root, rev, dir string) (bin, from string, err error) {
	src := root
	if rev != "" {
		src = filepath.Join(dir, "src")
		if err := gitrev.Export(root, rev, src); err != nil {
			return "", "", err
		}
	}
	bin = filepath.Join(dir, "syncvet")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/syncvet")
	cmd.Dir = src
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", "", fmt.Errorf("building syncvet in %s: %v\n%s", src, err, out)
	}
	return bin, describeRev(root, rev), nil
}

// describeRev names the commit syncvet was built from: rev's hash, or
// HEAD's plus a note when the working tree has changes.
func describeRev(root, rev string) string {
	r := rev
	if r == "" {
		r = "HEAD"
	}
	out, err := gitOutput(root, "rev-parse", "--short", r+"^{commit}")
	if err != nil {
		return "unknown commit"
	}
	s := strings.TrimSpace(out)
	if rev != "" {
		return s
	}
	if st, err := gitOutput(root, "status", "--porcelain", "--untracked-files=no", "--", "analyzers", "passes", "internal", "cmd/syncvet"); err == nil && strings.TrimSpace(st) != "" {
		return s + " plus the working tree's changes"
	}
	return s
}

func gitOutput(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %v", strings.Join(args, " "), err)
	}
	return string(out), nil
}

// moduleRoot returns the directory of the main module of the current
// directory, which must be syncvet's.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Path}} {{.Dir}}").Output()
	if err != nil {
		return "", fmt.Errorf("go list -m: %v (run from the syncvet module, or pass -syncvet)", err)
	}
	path, dir, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	if path != "github.com/syncvet/syncvet" {
		return "", fmt.Errorf("the current module is %s, not syncvet (run from the syncvet module, or pass -syncvet)", path)
	}
	return dir, nil
}
