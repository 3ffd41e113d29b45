// Package lostcancel exports syncvet's lostcancel check for Bazel's nogo, which
// takes one Analyzer per package: the check as analyzers.All() wraps it
// (panics become errors, //syncvet:ignore is honoured).
package lostcancel

import "github.com/syncvet/syncvet/analyzers"

// Analyzer is lostcancel from analyzers.All().
var Analyzer = analyzers.Named("lostcancel")
