// Package sharedaccess exports syncvet's sharedaccess check for Bazel's nogo, which
// takes one Analyzer per package: the check as analyzers.All() wraps it
// (panics become errors, //syncvet:ignore is honoured).
package sharedaccess

import "github.com/syncvet/syncvet/analyzers"

// Analyzer is sharedaccess from analyzers.All().
var Analyzer = analyzers.Named("sharedaccess")
