// Package sa2000 exports syncvet's SA2000 check for Bazel's nogo, which
// takes one Analyzer per package: the check as analyzers.All() wraps it
// (panics become errors, //syncvet:ignore is honoured).
package sa2000

import "github.com/syncvet/syncvet/analyzers"

// Analyzer is SA2000 from analyzers.All().
var Analyzer = analyzers.Named("SA2000")
