// Package sa2002 exports syncvet's SA2002 check for Bazel's nogo, which
// takes one Analyzer per package: the check as analyzers.All() wraps it
// (panics become errors, //syncvet:ignore is honoured).
package sa2002

import "github.com/syncvet/syncvet/analyzers"

// Analyzer is SA2002 from analyzers.All().
var Analyzer = analyzers.Named("SA2002")
