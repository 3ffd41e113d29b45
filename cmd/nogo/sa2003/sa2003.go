// Package sa2003 exports syncvet's SA2003 check for Bazel's nogo, which
// takes one Analyzer per package: the check as analyzers.All() wraps it
// (panics become errors, //syncvet:ignore is honoured).
package sa2003

import "github.com/syncvet/syncvet/analyzers"

// Analyzer is SA2003 from analyzers.All().
var Analyzer = analyzers.Named("SA2003")
