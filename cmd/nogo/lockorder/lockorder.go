// Package lockorder exports syncvet's lockorder check for Bazel's nogo, which
// takes one Analyzer per package: the check as analyzers.All() wraps it
// (panics become errors, //syncvet:ignore is honoured).
package lockorder

import "github.com/syncvet/syncvet/analyzers"

// Analyzer is lockorder from analyzers.All().
var Analyzer = analyzers.Named("lockorder")
