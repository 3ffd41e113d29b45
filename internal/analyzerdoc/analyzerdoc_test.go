package analyzerdoc

import (
	"strings"
	"testing"
)

const src = `// Package p checks things.
//
// # Analyzer one
//
// one: report the first thing
//
// The first thing is wrong.
//
//	// BAD
//	f(1)
//
// # Analyzer two
//
// two: report the second thing
package p

import _ "embed"
`

func TestExtract(t *testing.T) {
	got, err := Extract(src, "one")
	if err != nil {
		t.Fatal(err)
	}
	want := "report the first thing\n\nThe first thing is wrong.\n\n\t// BAD\n\tf(1)"
	if got != want {
		t.Errorf("one: got %q, want %q", got, want)
	}
	got, err = Extract(src, "two")
	if err != nil || got != "report the second thing" {
		t.Errorf("two: got %q, %v; want the title alone", got, err)
	}
}

func TestExtractErrors(t *testing.T) {
	for _, tc := range []struct{ src, name, want string }{
		{src, "three", `no "# Analyzer three" heading`},
		{"package p\n", "one", "no package doc comment"},
		{"// Package p.\n//\n// # Analyzer one\n//\n// The title is missing.\npackage p\n", "one", `does not start with "one: title"`},
		{"// Package p.\n//\n// # Analyzer one\n//\n// one:\npackage p\n", "one", "empty title"},
		{"not go", "one", "expected 'package'"},
	} {
		_, err := Extract(tc.src, tc.name)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Extract(%q, %q) = %v, want an error with %q", tc.src, tc.name, err, tc.want)
		}
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "doc of three") {
			t.Errorf("MustExtract of a missing section: recovered %v, want a panic naming it", r)
		}
	}()
	MustExtract(src, "three")
}
