// Command syncvet reports concurrency hazards in Go packages: data races
// on shared memory, lock-order deadlocks and locks held across blocking
// work, beside the concurrency checks of go vet and staticcheck.
//
// Usage:
//
//	syncvet [flags] [packages]            # standalone, like go vet
//	go vet -vettool=$(command -v syncvet) ./...
//	syncvet help [name]                   # list the checks, or explain one
//	syncvet lockgraph -o locks.dot ./...  # the acquired-before graph of lock classes, in DOT
//	syncvet lsp                           # a language server on stdin and stdout, beside gopls
//	syncvet -sarif ./... > syncvet.sarif  # SARIF 2.1.0 for code scanning
//	syncvet -fix ./...                    # apply the checks' suggested fixes
//
// Standalone runs drive `go vet` with syncvet itself as the vet tool, so
// both ways in report the same findings, analyse one package per process
// (bounded memory) and share Go's build cache.
package main

import (
	"os"
	"strings"

	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/syncvet/syncvet/analyzers"
)

func main() {
	all := analyzers.All()
	args := os.Args[1:]
	switch {
	case len(args) > 0 && args[0] == "help":
		os.Exit(help(os.Stdout, all, args[1:]))
	case len(args) > 0 && args[0] == "lockgraph":
		os.Exit(lockgraph(args[1:], os.Stdout, os.Stderr))
	case len(args) > 0 && args[0] == "lsp":
		os.Exit(lspMain(args[1:], all, os.Stdin, os.Stdout, os.Stderr))
	case isUnitcheckerCall(args):
		if printScopedVersion(args) {
			return
		}
		registerLockEdgesFlag()
		registerWithoutTestsFlag()
		checks, rest := selectChecks(all, args)
		os.Args = append(os.Args[:1], rest...) // unitchecker.Main parses os.Args
		unitchecker.Main(profiled(lockEdges(factsOnly(checks, rest), rest), rest)...)
	default:
		os.Exit(standalone(args, all))
	}
}

// isUnitcheckerCall reports whether args are those of the go command
// driving a vet tool: -V=full, -flags, or a unit's .cfg file.
func isUnitcheckerCall(args []string) bool {
	for _, a := range args {
		switch {
		case a == "-V" || strings.HasPrefix(a, "-V=") || a == "--V" || strings.HasPrefix(a, "--V="):
			return true
		case a == "-flags" || a == "--flags":
			return true
		case strings.HasSuffix(a, ".cfg") && !strings.HasPrefix(a, "-"):
			return true
		}
	}
	return false
}
