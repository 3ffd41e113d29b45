// Package copylocks exports syncvet's copylocks check for Bazel's nogo, which
// takes one Analyzer per package: the check as analyzers.All() wraps it
// (panics become errors, //syncvet:ignore is honoured).
package copylocks

import "github.com/syncvet/syncvet/analyzers"

// Analyzer is copylocks from analyzers.All().
var Analyzer = analyzers.Named("copylocks")
