// Package analyzerdoc takes an analyzer's documentation out of its
// package's doc comment, so that one text serves pkg.go.dev (the whole
// package comment) and the command line (Analyzer.Doc, which `syncvet
// help NAME` prints).
//
// An analyzer package embeds its own doc.go and extracts the section:
//
//	// Package lockorder reports lock acquisitions that can deadlock.
//	//
//	// # Analyzer lockorder
//	//
//	// lockorder: report lock order cycles
//	//
//	// Two goroutines that take ...
//	package lockorder
//
//	import _ "embed"
//
//	//go:embed doc.go
//	var doc string
//
//	var Doc = analyzerdoc.MustExtract(doc, "lockorder")
//
// golang.org/x/tools/go/analysis exports no such helper (its own lives in
// an internal package), hence this one.
package analyzerdoc

import (
	"fmt"
	"go/parser"
	"go/token"
	"strings"
)

// Extract returns the "# Analyzer NAME" section of the package doc
// comment of the Go source src: the section's first paragraph must read
// "NAME: title", and the result is the title, a blank line and the rest
// of the section up to the next heading or the end of the comment, the
// form Analyzer.Doc expects (the first line is the title).
func Extract(src, name string) (string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", src, parser.PackageClauseOnly|parser.ParseComments)
	if err != nil {
		return "", err
	}
	if f.Doc == nil {
		return "", fmt.Errorf("no package doc comment")
	}
	lines := strings.Split(f.Doc.Text(), "\n")
	heading := "# Analyzer " + name
	start := -1
	for i, l := range lines {
		if strings.TrimRight(l, " \t") == heading {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return "", fmt.Errorf("package doc comment has no %q heading", heading)
	}
	end := len(lines)
	for i := start; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "# ") {
			end = i
			break
		}
	}
	body := strings.TrimSpace(strings.Join(lines[start:end], "\n"))
	title, ok := strings.CutPrefix(body, name+":")
	if !ok {
		return "", fmt.Errorf("the %q section does not start with %q", heading, name+": title")
	}
	title, rest, _ := strings.Cut(strings.TrimLeft(title, " "), "\n")
	if strings.TrimSpace(title) == "" {
		return "", fmt.Errorf("the %q section has an empty title", heading)
	}
	rest = strings.TrimRight(strings.TrimLeft(rest, "\n"), " \t\n")
	if rest == "" {
		return strings.TrimSpace(title), nil
	}
	return strings.TrimSpace(title) + "\n\n" + rest, nil
}

// MustExtract is Extract that panics on error: an analyzer's doc.go is
// part of its source, and a malformed one is a bug that every test of
// the package reveals at once.
func MustExtract(src, name string) string {
	doc, err := Extract(src, name)
	if err != nil {
		panic(fmt.Sprintf("analyzerdoc: doc of %s: %v", name, err))
	}
	return doc
}
