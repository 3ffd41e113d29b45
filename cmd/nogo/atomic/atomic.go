// Package atomic exports syncvet's atomic check for Bazel's nogo, which
// takes one Analyzer per package: the check as analyzers.All() wraps it
// (panics become errors, //syncvet:ignore is honoured).
package atomic

import "github.com/syncvet/syncvet/analyzers"

// Analyzer is atomic from analyzers.All().
var Analyzer = analyzers.Named("atomic")
