// Package nogo holds one package per syncvet check, each exporting the
// check as Analyzer, because Bazel's nogo wants one Analyzer per
// go_library. Every check of analyzers.All() has one here (the test
// checks it): cmd/nogo/lockorder, cmd/nogo/copylocks, cmd/nogo/sa2001, …
// nogo runs exactly the packages its configuration lists, so the checks
// that syncvet's drivers leave off by default (analyzers.OffByDefault:
// SA2000-SA2003) run there only if listed; docs/integrations.md shows
// the default set.
package nogo
