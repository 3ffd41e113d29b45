package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/syncvet/syncvet/analyzers"
)

// help prints the list of checks, or the documentation of the named ones,
// and returns the exit code.
func help(w io.Writer, as []*analysis.Analyzer, names []string) int {
	if len(names) == 0 {
		fmt.Fprint(w, `syncvet reports concurrency hazards in Go packages.

Usage: syncvet [flags] [packages]
       go vet -vettool=$(command -v syncvet) [flags] [packages]
       syncvet lockgraph [-o FILE] [packages]   (the lock order graph, in DOT)
       syncvet lsp                              (a language server for editors, beside gopls)

Checks (on by default unless marked off; -NAME runs only the named ones,
-NAME=false turns one off):

`)
		sorted := as
		width := 0
		for _, a := range sorted {
			width = max(width, len(a.Name))
		}
		for _, a := range sorted {
			fmt.Fprintf(w, "  %-*s  %s\n", width, a.Name, title(a.Doc))
			if cover, off := analyzers.OffByDefault[a.Name]; off {
				fmt.Fprintf(w, "  %-*s  (off by default: %s reports the same; -%s runs it)\n", width, "", cover, a.Name)
			}
		}
		fmt.Fprint(w, "\nRun 'syncvet help NAME' for one check's documentation, examples and flags.\n")
		fmt.Fprint(w, "To silence a finding, write //syncvet:ignore NAME reason on its line, alone on the\n"+
			"line above, or in the doc comment of the declaration around it.\n")
		return exitClean
	}
	code := exitClean
	for _, name := range names {
		var found *analysis.Analyzer
		for _, a := range as {
			if a.Name == name {
				found = a
			}
		}
		if found == nil {
			fmt.Fprintf(w, "syncvet: no check named %q; 'syncvet help' lists them\n", name)
			code = exitUsage
			continue
		}
		fmt.Fprintf(w, "%s: %s\n", found.Name, strings.TrimSpace(found.Doc))
		if cover, off := analyzers.OffByDefault[found.Name]; off {
			fmt.Fprintf(w, "\nOff by default: %s reports the same. Run it with -%s (or -%s=true).\n", cover, found.Name, found.Name)
		}
		if found.URL != "" {
			fmt.Fprintf(w, "\nMore: %s\n", found.URL)
		}
		first := true
		found.Flags.VisitAll(func(f *flag.Flag) {
			if first {
				fmt.Fprintf(w, "\nFlags:\n")
				first = false
			}
			fmt.Fprintf(w, "  -%s.%s\t%s (default %q)\n", found.Name, f.Name, f.Usage, f.DefValue)
		})
	}
	return code
}

// title returns the first line of an analyzer's doc.
func title(doc string) string {
	doc = strings.TrimSpace(doc)
	if i := strings.IndexByte(doc, '\n'); i >= 0 {
		doc = doc[:i]
	}
	return doc
}
