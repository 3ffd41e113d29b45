// Package loopclosure exports syncvet's loopclosure check for Bazel's nogo, which
// takes one Analyzer per package: the check as analyzers.All() wraps it
// (panics become errors, //syncvet:ignore is honoured).
package loopclosure

import "github.com/syncvet/syncvet/analyzers"

// Analyzer is loopclosure from analyzers.All().
var Analyzer = analyzers.Named("loopclosure")
