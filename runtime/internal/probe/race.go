package probe

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// ChildEnv names the environment variable that marks a child test
// process; its value is the one test the child is meant to run.
const ChildEnv = "SYNCVET_RUNTIME_CHILD"

// ChildOnly skips t unless this process is the child started for it by
// RaceChild. Tests that deliberately race call it first, so that they
// never run in the parent.
func ChildOnly(t *testing.T) {
	t.Helper()
	if os.Getenv(ChildEnv) != t.Name() {
		t.Skipf("runs only in a child process started by RaceChild (%s=%s)", ChildEnv, t.Name())
	}
}

var (
	buildOnce sync.Once
	raceBin   string // a -race test binary of the package under test
	buildErr  string // why none could be made: the reason to skip
)

// raceBinary returns a race-enabled test binary for the package whose
// tests are running: this binary itself when it was built with -race,
// else one built once with "go test -race -c" in the package
// directory (the working directory of a test).
func raceBinary(t *testing.T) string {
	t.Helper()
	if Race {
		return os.Args[0]
	}
	buildOnce.Do(func() {
		gotool, err := exec.LookPath("go")
		if err != nil {
			buildErr = "this test binary was built without -race and no go command is on PATH to build one"
			return
		}
		if out, err := exec.Command(gotool, "env", "CGO_ENABLED").Output(); err != nil || strings.TrimSpace(string(out)) != "1" {
			buildErr = "the race detector needs cgo, and CGO_ENABLED is not 1"
			return
		}
		dir, err := os.MkdirTemp("", "syncvet-race-")
		if err != nil {
			buildErr = err.Error()
			return
		}
		bin := filepath.Join(dir, "race.test")
		cmd := exec.Command(gotool, "test", "-race", "-c", "-o", bin, ".")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Sprintf("go test -race -c failed (is -race supported here?): %v\n%s", err, out)
			return
		}
		raceBin = bin
	})
	if buildErr != "" {
		t.Skipf("skipping race-detector check: %s", buildErr)
	}
	return raceBin
}

// RaceChild runs the test named test in a child race-enabled test
// process (the equivalent of go test -race -run '^test$') and returns
// its combined output. The child's own failure is expected: a race
// fails the test that races.
func RaceChild(t *testing.T, test string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping child race-detector process in -short mode")
	}
	bin := raceBinary(t)
	cmd := exec.Command(bin, "-test.run=^"+test+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), ChildEnv+"="+test, "GORACE=halt_on_error=0")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	_ = cmd.Run() // a race makes the child fail; the output is what counts
	return out.String()
}

// AssertRace fails t unless out, a child's output, reports a data race
// that involves every one of the lines ("file.go:line").
func AssertRace(t *testing.T, out string, lines []string) {
	t.Helper()
	if !strings.Contains(out, "WARNING: DATA RACE") {
		t.Fatalf("the race detector reported no data race; child output:\n%s", out)
	}
	for _, l := range lines {
		re := regexp.MustCompile(`[/\\]` + regexp.QuoteMeta(l) + `\b`)
		if !re.MatchString(out) {
			t.Errorf("the race report does not mention %s; child output:\n%s", l, out)
		}
	}
}

// ExpectRace runs test in a child race process and asserts that the
// race detector reports a race at every line marked "// race: variant"
// in the package directory.
func ExpectRace(t *testing.T, test, variant string) {
	t.Helper()
	lines := MarkerLines(t, ".", variant)
	out := RaceChild(t, test)
	AssertRace(t, out, lines)
}
