// Package goroutineleak exports syncvet's goroutineleak check for Bazel's nogo, which
// takes one Analyzer per package: the check as analyzers.All() wraps it
// (panics become errors, //syncvet:ignore is honoured).
package goroutineleak

import "github.com/syncvet/syncvet/analyzers"

// Analyzer is goroutineleak from analyzers.All().
var Analyzer = analyzers.Named("goroutineleak")
