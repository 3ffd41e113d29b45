package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/syncvet/syncvet/internal/gitrev"
)

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

// describeRev names the commit syncvet was built from: rev's short hash,
// or HEAD's plus a note when the working tree has changes.
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
		return s + " (" + rev + ")"
	}
	if st, err := gitOutput(root, "status", "--porcelain", "--untracked-files=no"); err == nil && strings.TrimSpace(st) != "" {
		return s + " plus the working tree's changes"
	}
	return s
}

func gitOutput(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var errBuf bytes.Buffer
	cmd.Stderr = &errBuf
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(errBuf.String()))
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

// vetRun is the outcome of one standalone syncvet run.
type vetRun struct {
	findings []finding
	internal []finding           // "internal error in ..." diagnostics: a check failed, not a finding
	failures []string            // check failures syncvet named on stderr
	broken   map[string][]string // package that did not build -> its error lines
	stderr   string
	code     int
}

// runSyncvet runs `syncvet -json [flags] ./...` in dir and parses its
// output. Exit status 1 (a package did not build, or a check failed) is
// not an error here: the caller decides what the broken packages mean.
func runSyncvet(bin, dir string, flags ...string) (*vetRun, error) {
	cmd := exec.Command(bin, append(append([]string{"-json"}, flags...), "./...")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	r := &vetRun{stderr: errOut.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee) && (ee.ExitCode() == 1 || ee.ExitCode() == 3):
		r.code = ee.ExitCode()
	default:
		return nil, fmt.Errorf("running %s in %s: %v\n%s", bin, dir, err, errOut.String())
	}
	if err := parseOutput(out.Bytes(), r); err != nil {
		return nil, fmt.Errorf("reading syncvet -json output: %v", err)
	}
	r.broken, r.failures = parseStderr(r.stderr)
	return r, nil
}

// jsonTree is syncvet's -json form: package ID to check name to
// findings.
type jsonTree map[string]map[string][]struct {
	Posn    string `json:"posn"`
	Message string `json:"message"`
}

// parseOutput reads syncvet's -json output into r.findings (sorted by
// position), setting internal errors apart.
func parseOutput(data []byte, r *vetRun) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	var t jsonTree
	if err := json.Unmarshal(data, &t); err != nil {
		return err
	}
	for _, byCheck := range t {
		for check, ds := range byCheck {
			for _, d := range ds {
				path, line, col := splitPosn(d.Posn)
				f := finding{Check: check, Path: path, File: filepath.Base(path), Line: line, Col: col, Message: d.Message}
				if strings.HasPrefix(d.Message, "internal error") {
					r.internal = append(r.internal, f)
				} else {
					r.findings = append(r.findings, f)
				}
			}
		}
	}
	sortFindings(r.findings)
	sortFindings(r.internal)
	return nil
}

func sortFindings(fs []finding) {
	sort.Slice(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		if a.Check != b.Check {
			return a.Check < b.Check
		}
		return a.Message < b.Message
	})
}

// splitPosn splits "file:line:col" into its parts.
func splitPosn(p string) (string, int, int) {
	parts := strings.Split(p, ":")
	n := len(parts)
	if n < 3 {
		return p, 0, 0
	}
	line, err1 := strconv.Atoi(parts[n-2])
	col, err2 := strconv.Atoi(parts[n-1])
	if err1 != nil || err2 != nil {
		return p, 0, 0
	}
	return strings.Join(parts[:n-2], ":"), line, col
}

// parseStderr finds, in syncvet's stderr (go vet's, passed through), the
// packages that did not build, each headed "# import/path" and followed
// by its errors, and the lines where syncvet names a failed check.
func parseStderr(s string) (broken map[string][]string, failures []string) {
	broken = make(map[string][]string)
	cur := ""
	for _, l := range strings.Split(s, "\n") {
		switch {
		case strings.HasPrefix(l, "# "):
			f := strings.Fields(l[2:])
			if len(f) == 0 || strings.HasPrefix(f[0], "[") {
				continue // "# [p.test]": the variant of the package above
			}
			cur = f[0]
			if _, ok := broken[cur]; !ok {
				broken[cur] = nil
			}
		case strings.HasPrefix(l, "syncvet: "):
			cur = ""
			if !strings.Contains(l, ": not analysed: ") {
				failures = append(failures, l)
			}
		case cur != "" && strings.TrimSpace(l) != "":
			broken[cur] = append(broken[cur], strings.TrimSpace(l))
		}
	}
	return broken, failures
}
