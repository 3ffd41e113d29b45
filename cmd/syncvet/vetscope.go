package main

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"strings"
)

// The go command (1.26) caches each vet unit's facts and its stdout
// under a key that leaves out whether the unit ran facts-only (a
// dependency of the named packages, whose findings are dropped). A
// package analysed first as a dependency then replays that empty
// output when it is later named itself: its findings vanish until the
// cache changes. The key does include the vet tool's ID, which the go
// command reads from -V=full; so the standalone driver names the scope
// of its run (the directory and the patterns) in SYNCVET_VET_SCOPE, and
// -V=full folds it into the build ID. Runs of one scope share the
// cache; a run of another scope analyses again the units it needs.
const vetScopeEnv = "SYNCVET_VET_SCOPE"

// printScopedVersion answers -V=full as analysisflags does, with the
// scope folded into the build ID; false when no scope is set (then
// unitchecker answers).
func printScopedVersion(args []string) bool {
	scope := os.Getenv(vetScopeEnv)
	if scope == "" {
		return false
	}
	full := false
	for _, a := range args {
		if a == "-V=full" || a == "--V=full" {
			full = true
		}
	}
	if !full {
		return false
	}
	progname, err := os.Executable()
	if err != nil {
		return false
	}
	f, err := os.Open(progname)
	if err != nil {
		return false
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return false
	}
	io.WriteString(h, "scope "+scope)
	fmt.Printf("%s version devel comments-go-here buildID=%02x\n", progname, string(h.Sum(nil)))
	return true
}

// vetScope names the scope of a standalone run for vetScopeEnv.
// A digest: an environment variable may hold no NUL.
func vetScope(patterns []string) string {
	wd, _ := os.Getwd()
	return fmt.Sprintf("%x", sha256.Sum256([]byte(wd+"\x00"+strings.Join(patterns, "\x00"))))
}
