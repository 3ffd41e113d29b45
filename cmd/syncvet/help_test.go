package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/syncvet/syncvet/analyzers"
)

// TestHelpFullDoc checks that each of syncvet's own checks has its whole
// doc.go section as Doc (title, then what is wrong, BAD and GOOD
// examples, what it leaves out) and that `syncvet help NAME` prints all
// of it.
func TestHelpFullDoc(t *testing.T) {
	for _, a := range analyzers.Own() {
		title, body, ok := strings.Cut(a.Doc, "\n\n")
		if !ok || strings.Contains(title, "\n") || title != strings.TrimSpace(title) {
			t.Errorf("%s: Doc should be a title line, a blank line and the body; got %.80q", a.Name, a.Doc)
		}
		words := strings.Join(strings.Fields(body), " ")
		for _, want := range []string{"// BAD", "// GOOD", "Not reported"} {
			if !strings.Contains(words, want) {
				t.Errorf("%s: Doc lacks %q", a.Name, want)
			}
		}
		var b bytes.Buffer
		if code := help(&b, analyzers.All(), []string{a.Name}); code != exitClean {
			t.Errorf("help %s: exit %d", a.Name, code)
		}
		if want := a.Name + ": " + a.Doc + "\n"; !strings.HasPrefix(b.String(), want) {
			t.Errorf("help %s does not start with the whole Doc:\n%s", a.Name, b.String())
		}
		out, stderr, code := run(t, repoRoot, false, "help", a.Name)
		last := body[strings.LastIndex(strings.TrimSpace(body), "\n")+1:]
		if code != exitClean || !strings.HasPrefix(out, a.Name+": "+title+"\n") || !strings.Contains(out, last) {
			t.Errorf("syncvet help %s: exit %d, output lacks the title or the last line %q:\n%s%s", a.Name, code, last, out, stderr)
		}
	}
}
