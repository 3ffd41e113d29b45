// Package waitgroup exports syncvet's waitgroup check for Bazel's nogo, which
// takes one Analyzer per package: the check as analyzers.All() wraps it
// (panics become errors, //syncvet:ignore is honoured).
package waitgroup

import "github.com/syncvet/syncvet/analyzers"

// Analyzer is waitgroup from analyzers.All().
var Analyzer = analyzers.Named("waitgroup")
