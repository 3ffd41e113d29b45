package gclplugin_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// golangciVersion is the golangci-lint release the plugin is built and
// tested against.
const golangciVersion = "v2.15.0"

// TestCustomGolangciLint builds the binary that `golangci-lint custom`
// would build from .custom-gcl.yml (a main module requiring golangci-lint,
// blank-importing this plugin and calling golangci-lint's command entry
// point), with syncvet replaced by this checkout, runs it on
// testdata/gclplugin in the JSON form editors consume, and checks that
// its findings are syncvet's own less those under //nolint:syncvet. It
// needs the module proxy and takes minutes, so it runs only when
// SYNCVET_GCL_TEST=1.
func TestCustomGolangciLint(t *testing.T) {
	if os.Getenv("SYNCVET_GCL_TEST") != "1" {
		t.Skip("set SYNCVET_GCL_TEST=1 to build a custom golangci-lint and run it (takes minutes)")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()

	start := time.Now()
	gcl := buildCustomGolangciLint(t, root, filepath.Join(work, "gclmain"))
	t.Logf("built custom golangci-lint %s in %s", golangciVersion, time.Since(start).Round(time.Second))

	syncvet := filepath.Join(work, "syncvet")
	goCmd(t, root, nil, "build", "-o", syncvet, "./cmd/syncvet")

	fx := filepath.Join(work, "fx")
	copyDir(t, filepath.Join(root, "testdata", "gclplugin"), fx)
	writeFile(t, filepath.Join(fx, "go.mod"), "module example.com/fx\n\ngo 1.26\n")

	// syncvet's own findings, with the check that .golangci.yml disables off.
	out, stderr, _ := runIn(t, fx, nil, syncvet, "-json", "-waitgroup=false", "./...")
	var tr map[string]map[string][]struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal([]byte(out), &tr); err != nil {
		t.Fatalf("syncvet -json: %v\n%s\n%s", err, out, stderr)
	}
	var own, nolint []string
	for _, byName := range tr {
		for name, ds := range byName {
			for _, d := range ds {
				f := finding(d.Posn, name, d.Message)
				if onNolintLine(t, d.Posn) {
					nolint = append(nolint, f)
				} else {
					own = append(own, f)
				}
			}
		}
	}
	if len(own) < 3 || len(nolint) == 0 {
		t.Fatalf("the fixture should give syncvet findings, some under //nolint:syncvet; got %v and %v", own, nolint)
	}

	// The custom golangci-lint's findings in its JSON output.
	env := []string{"GOLANGCI_LINT_CACHE=" + filepath.Join(work, "gcl-cache")}
	start = time.Now()
	out, stderr, code := runIn(t, fx, env, gcl, "run", "--output.json.path=stdout", "--show-stats=false", "./...")
	t.Logf("golangci-lint run took %s", time.Since(start).Round(time.Millisecond))
	if code != 1 {
		t.Fatalf("golangci-lint exit code %d, want 1 (issues found); stderr:\n%s\nstdout:\n%s", code, stderr, out)
	}
	var report struct {
		Issues []struct {
			FromLinter string
			Text       string
			Pos        struct {
				Filename     string
				Line, Column int
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("golangci-lint JSON output: %v\n%s", err, out)
	}
	var got []string
	for _, is := range report.Issues {
		if is.FromLinter != "syncvet" {
			t.Errorf("issue from linter %q, want syncvet: %+v", is.FromLinter, is)
			continue
		}
		check, msg, ok := strings.Cut(is.Text, ": ")
		if !ok || strings.HasSuffix(check, "(related information)") {
			continue
		}
		got = append(got, finding(fmt.Sprintf("%s:%d:%d", is.Pos.Filename, is.Pos.Line, is.Pos.Column), check, msg))
	}
	sort.Strings(own)
	sort.Strings(got)
	t.Logf("golangci-lint reported:\n%s", strings.Join(got, "\n"))
	if strings.Join(got, "\n") != strings.Join(own, "\n") {
		t.Errorf("golangci-lint findings differ from syncvet's (less //nolint:syncvet ones):\ngolangci-lint:\n%s\nsyncvet:\n%s",
			strings.Join(got, "\n"), strings.Join(own, "\n"))
	}
	for _, n := range nolint {
		for _, g := range got {
			if g == n {
				t.Errorf("//nolint:syncvet did not silence %s", n)
			}
		}
	}
	if strings.Contains(out, "WaitGroup.Add called from inside new goroutine") {
		t.Errorf("waitgroup reported though .golangci.yml disables it:\n%s", out)
	}
	if strings.Contains(out, "Ignored passes lock by value") {
		t.Errorf("//syncvet:ignore did not silence the finding in Ignored through the plugin:\n%s", out)
	}

	// Editors run it on the directory of the file being edited, with
	// absolute paths and exit code 0: Neovim's nvim-lint reads the JSON
	// form, VS Code's Go extension the text form.
	out, stderr, code = runIn(t, fx, env, gcl, "run", "--output.json.path=stdout", "--issues-exit-code=0",
		"--show-stats=false", "--path-mode=abs", fx)
	if code != 0 {
		t.Fatalf("editor-style JSON run: exit %d; stderr:\n%s", code, stderr)
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("editor-style JSON run: %v\n%s", err, out)
	}
	var editor int
	for _, is := range report.Issues {
		if !filepath.IsAbs(is.Pos.Filename) || filepath.Dir(is.Pos.Filename) != fx {
			t.Errorf("editor-style JSON run: %s is not an absolute path in %s", is.Pos.Filename, fx)
		}
		if !strings.HasSuffix(is.Text, "(related information)") {
			editor++
		}
	}
	if editor < len(own) {
		t.Errorf("editor-style JSON run reported %d findings, want %d", editor, len(own))
	}
	out, stderr, code = runIn(t, fx, env, gcl, "run", "--output.text.path=stdout", "--output.text.print-issued-lines=false",
		"--output.text.colors=false", "--issues-exit-code=0", "--show-stats=false", "--path-mode=abs", fx)
	var want string
	for _, f := range own {
		if at, rest, _ := strings.Cut(f, " "); strings.HasPrefix(rest, "copylocks: return copies lock value") {
			want = filepath.Join(fx, at) + ": " + rest
		}
	}
	if code != 0 || want == "" || !strings.Contains(out, want) || !strings.Contains(out, "(syncvet)") {
		t.Errorf("editor-style text run: exit %d, want a line starting %q and naming (syncvet); stdout:\n%s\nstderr:\n%s", code, want, out, stderr)
	}
}

// buildCustomGolangciLint writes the main module that `golangci-lint
// custom` generates and builds it.
func buildCustomGolangciLint(t *testing.T, root, dir string) string {
	t.Helper()
	writeFile(t, filepath.Join(dir, "go.mod"), fmt.Sprintf(`module example.com/custom-gcl

go 1.26.0

require (
	github.com/golangci/golangci-lint/v2 %s
	github.com/syncvet/syncvet v0.0.0
)

replace github.com/syncvet/syncvet => %s
`, golangciVersion, root))
	writeFile(t, filepath.Join(dir, "main.go"), `// Command custom-gcl is golangci-lint with the syncvet plugin.
package main

import (
	"fmt"
	"os"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"
)

func main() {
	info := commands.BuildInfo{Version: "`+strings.TrimPrefix(golangciVersion, "v")+`-custom-syncvet", Commit: "?", GoVersion: "?", Date: "?"}
	if err := commands.Execute(info); err != nil {
		fmt.Fprintf(os.Stderr, "The command is terminated due to an error: %v\n", err)
		os.Exit(exitcodes.Failure)
	}
}
`)
	writeFile(t, filepath.Join(dir, "plugins.go"), `package main

import _ "github.com/syncvet/syncvet/cmd/gclplugin"
`)
	env := []string{"GOFLAGS=-mod=mod -buildvcs=false", "GOWORK=off"}
	goCmd(t, dir, env, "mod", "tidy")
	bin := filepath.Join(dir, "custom-gcl")
	goCmd(t, dir, env, "build", "-o", bin, ".")
	return bin
}

// finding formats a finding for comparison: file base name, line and
// column, check, message.
func finding(posn, check, msg string) string {
	return filepath.Base(posn) + " " + check + ": " + msg
}

// onNolintLine reports whether the line at posn carries //nolint:syncvet.
func onNolintLine(t *testing.T, posn string) bool {
	parts := strings.Split(posn, ":")
	if len(parts) < 3 {
		return false
	}
	var line int
	fmt.Sscan(parts[len(parts)-2], &line)
	data, err := os.ReadFile(strings.Join(parts[:len(parts)-2], ":"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	return line >= 1 && line <= len(lines) && strings.Contains(lines[line-1], "//nolint:syncvet")
}

func goCmd(t *testing.T, dir string, env []string, args ...string) {
	t.Helper()
	out, stderr, code := runIn(t, dir, env, "go", args...)
	if code != 0 {
		t.Fatalf("go %s in %s: exit %d\n%s%s", strings.Join(args, " "), dir, code, out, stderr)
	}
}

func runIn(t *testing.T, dir string, env []string, name string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), errOut.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running %s: %v", name, err)
	}
	return out.String(), errOut.String(), 0
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	ents, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(to, e.Name()), string(data))
	}
}
