// Command syncvet reports concurrency hazards in Go packages.
package main

import (
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/syncvet/syncvet/analyzers"
)

func main() { unitchecker.Main(analyzers.All()...) }
