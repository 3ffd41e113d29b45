// Package sa2001 exports syncvet's SA2001 check for Bazel's nogo, which
// takes one Analyzer per package: the check as analyzers.All() wraps it
// (panics become errors, //syncvet:ignore is honoured).
package sa2001

import "github.com/syncvet/syncvet/analyzers"

// Analyzer is SA2001 from analyzers.All().
var Analyzer = analyzers.Named("SA2001")
