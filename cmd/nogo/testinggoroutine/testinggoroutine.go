// Package testinggoroutine exports syncvet's testinggoroutine check for Bazel's nogo, which
// takes one Analyzer per package: the check as analyzers.All() wraps it
// (panics become errors, //syncvet:ignore is honoured).
package testinggoroutine

import "github.com/syncvet/syncvet/analyzers"

// Analyzer is testinggoroutine from analyzers.All().
var Analyzer = analyzers.Named("testinggoroutine")
