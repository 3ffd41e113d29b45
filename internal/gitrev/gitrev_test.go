package gitrev_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/syncvet/syncvet/internal/gitrev"
)

func TestExport(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	repo := t.TempDir()
	run := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q")
	if err := os.MkdirAll(filepath.Join(repo, "a", "b"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo, "a", "b", "f.go"), []byte("package b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run("add", ".")
	run("commit", "-q", "-m", "one")
	if err := os.WriteFile(filepath.Join(repo, "a", "b", "f.go"), []byte("package changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := gitrev.Export(repo, "HEAD", out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "a", "b", "f.go"))
	if err != nil || string(b) != "package b\n" {
		t.Errorf("exported f.go = %q, %v; want the committed text", b, err)
	}
	if err := gitrev.Export(repo, "no-such-rev", t.TempDir()); err == nil {
		t.Error("Export of an unknown revision succeeded")
	}
}
