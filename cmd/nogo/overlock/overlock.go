// Package overlock exports syncvet's overlock check for Bazel's nogo, which
// takes one Analyzer per package: the check as analyzers.All() wraps it
// (panics become errors, //syncvet:ignore is honoured).
package overlock

import "github.com/syncvet/syncvet/analyzers"

// Analyzer is overlock from analyzers.All().
var Analyzer = analyzers.Named("overlock")
