// Package nogo holds one package per syncvet check, each exporting the
// check as Analyzer, because Bazel's nogo wants one Analyzer per
// go_library. Every check of analyzers.All() has one here (the test
// checks it): cmd/nogo/lockorder, cmd/nogo/copylocks, cmd/nogo/sa2001, …
package nogo
